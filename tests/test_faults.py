"""Faults lose nothing: builds killed at random moments, full and read-only disks, and convert
killed while it writes.

A killed build must leave `site/` exactly as one complete build left it (the last one, or the
one being made if it got as far as the swap); the next build must succeed and equal a clean one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.incremental.cache import body_store
from generator.model import frontmatter
from generator.model.content import parse_file
from generator.output.write import MANIFEST, parse_manifest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 200
KILLS = 16
BUDGET = 30  # seconds: the kill loop stops early rather than run longer

COUNTRIES = ["South Korea", "Ukraine", "Russia", "Brazil", "United Kingdom", "Japan", "France"]
TAGS = ["trade", "investment", "culture", "education", "tourism", "agriculture", "e-commerce"]


def article_text(number: int, rng: random.Random, title: str | None = None) -> str:
    country = rng.choice(COUNTRIES)
    fields = {
        "title": title or f"{country} delegation number {number} visits Harbin",
        "date": dt.date(2015, 1, 1) + dt.timedelta(days=number * 3),
        "section": rng.choice(["Business", "Culture", "Foreign Exchanges"]),
        "countries": ["China", country],
        "tags": rng.sample(TAGS, 2),
        "summary": f"Article {number} in a summary.",
        "slug": f"article-{number}",
    }
    body = "\n\n".join(
        f"Paragraph {p} of article {number}: {country} and Harbin signed {rng.randint(1, 99)} "
        "agreements on trade, culture and the exchange of students." * 3
        for p in range(4)
    )
    return frontmatter.dump(fields, body)


def make_site(root: Path, count: int = ARTICLES, seed: int = 7) -> Path:
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True)
    for number in range(count):
        text = article_text(number, rng)
        (root / "content" / f"article-{number}.md").write_text(text, "utf-8")
    config = {
        "title": "Fault Portal",
        "base_url": "https://example.org/",
        "themes_dir": str(ROOT / "themes"),
        "search": False,
    }
    (root / "site.yaml").write_text(json.dumps(config), "utf-8")
    return root


def tree_hash(folder: Path) -> str:
    """One digest of every file's path and bytes under folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_whole(site: Path) -> None:
    """The folder holds exactly the files its manifest lists."""
    listed = set(parse_manifest((site / MANIFEST).read_text("utf-8")))
    present = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert present - {MANIFEST} == listed, (present ^ listed) - {MANIFEST}


def clean_build(root: Path, scratch: Path) -> Path:
    """A build of root's current content from nothing (no cache, no earlier site)."""
    shutil.rmtree(scratch, ignore_errors=True)
    overrides = {"output_dir": str(scratch / "site"), "cache_dir": str(scratch / "cache")}
    build(load_config(root / "site.yaml", overrides), say=lambda _: None, warn=lambda _: None)
    return scratch / "site"


def differences(a: Path, b: Path) -> list[str]:
    """Files that are in one folder only, or differ."""
    files = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(
        name
        for name in files
        if not (a / name).is_file()
        or not (b / name).is_file()
        or (a / name).read_bytes() != (b / name).read_bytes()
    )


def equals_clean_build(site: Path, root: Path, scratch: Path) -> bool:
    different = differences(site, clean_build(root, scratch))
    assert not different, different[:10]
    return True


def portal(root: Path, *args: str) -> subprocess.Popen[str]:
    """`python -m generator ARGS` in root, in a process group of its own (workers included)."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def kill_after(process: subprocess.Popen[str], delay: float) -> tuple[int, str]:
    """SIGKILL the process and its workers after delay seconds (unless it ended); code, stderr."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # forked workers, if any outlived it
    except ProcessLookupError:
        pass
    return process.returncode, stderr


def edit(root: Path, rng: random.Random, round_: int) -> str:
    """One change an editor might make between builds; what it was."""
    content = root / "content"
    files = sorted(content.glob("*.md"))
    kind = rng.choice(["body", "title", "add", "delete", "site title"])
    if kind == "body":
        path = rng.choice(files)
        path.write_text(path.read_text("utf-8") + f"\nAn added line {round_}.\n", "utf-8")
    elif kind == "title":
        path = rng.choice(files)
        number = int(path.stem.split("-")[1])
        path.write_text(article_text(number, rng, title=f"Retitled {round_}"), "utf-8")
    elif kind == "add":
        number = 1000 + round_
        (content / f"article-{number}.md").write_text(article_text(number, rng), "utf-8")
    elif kind == "delete" and len(files) > 10:
        rng.choice(files).unlink()
    else:
        config = json.loads((root / "site.yaml").read_text("utf-8"))
        config["title"] = f"Fault Portal {round_}"  # every page changes
        (root / "site.yaml").write_text(json.dumps(config), "utf-8")
    return kind


def test_killed_builds_leave_a_whole_earlier_site(tmp_path: Path) -> None:
    root = make_site(tmp_path / "project")
    site, scratch = root / "site", tmp_path / "clean"
    started = time.monotonic()
    code, stderr = kill_after(portal(root, "build"), 120)
    assert code == 0, stderr
    is_whole(site)
    complete = {tree_hash(site)}  # every build that is known to have finished
    rng = random.Random(int(os.environ.get("PORTAL_FAULT_SEED", "20240601")))
    longest = 0.5  # the longest build seen, which kills are spread over
    kills = verified = 0
    for round_ in range(KILLS * 2):
        if kills >= KILLS or time.monotonic() - started > BUDGET:
            break
        kind = edit(root, rng, round_) if rng.random() < 0.8 else "no edit"
        if round_ % 7 == 6:
            # An uninterrupted build after kills: it succeeds and equals a clean build.
            began = time.monotonic()
            code, stderr = kill_after(portal(root, "build"), 120)
            assert code == 0, stderr
            longest = max(longest, time.monotonic() - began)
            assert equals_clean_build(site, root, scratch)
            complete.add(tree_hash(site))
            verified += 1
            continue
        code, stderr = kill_after(portal(root, "build"), rng.uniform(0.05, longest))
        assert code in (0, -signal.SIGKILL), stderr
        kills += code == -signal.SIGKILL
        now = tree_hash(site)
        if now not in complete:
            # Finished, or killed after the swap: then it is the site of the current content.
            different = differences(site, clean_build(root, scratch))
            assert not different, (
                f"round {round_} ({kind}, build exit {code}): {len(different)} files differ "
                f"from a clean build, {len(complete)} earlier sites known: {different[:5]}"
            )
            complete.add(now)
        is_whole(site)
    code, stderr = kill_after(portal(root, "build"), 120)
    assert code == 0, stderr
    assert equals_clean_build(site, root, scratch)
    assert kills >= KILLS // 2, f"only {kills} builds were killed mid-way"
    print(f"{kills} kills, {verified} verified, {time.monotonic() - started:.1f} s", end=" ")


# --- full and read-only disks ----------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mounted for the test, 1.6 times the size of the 30-article site (skipped where
    mounting is not permitted)."""
    sample = tmp_path / "sample"
    assert build_into(make_site(sample / "project", count=30), sample / "site")[0] == 0
    used = sum(-(-p.stat().st_size // 4096) * 4 for p in (sample / "site").rglob("*"))
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={used * 8 // 5}k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def build_into(root: Path, out: Path) -> tuple[int, str]:
    return kill_after(portal(root, "build", "--out", str(out)), 120)


def assert_clear_failure(code: int, stderr: str, expected: str) -> None:
    assert code == 1, stderr
    assert "Traceback" not in stderr, stderr
    first, second = stderr.strip().splitlines()
    assert first.endswith(expected), first
    assert second == "build failed; the previous site is unchanged"


def test_full_disk_is_one_line_and_keeps_the_site(tmp_path: Path, small_disk: Path) -> None:
    root = make_site(tmp_path / "project", count=30)
    site = small_disk / "site"
    assert build_into(root, site)[0] == 0
    before = tree_hash(site)
    for number in range(30, 60):  # twice the articles, with the spare copy: it cannot fit
        text = article_text(number, random.Random(number))
        (root / "content" / f"article-{number}.md").write_text(text, "utf-8")
    code, stderr = build_into(root, site)
    assert_clear_failure(code, stderr, ": No space left on device")
    assert tree_hash(site) == before
    is_whole(site)


def test_read_only_output_is_one_line_and_keeps_the_site(tmp_path: Path, small_disk: Path) -> None:
    root = make_site(tmp_path / "project", count=30)
    site = small_disk / "site"
    assert build_into(root, site)[0] == 0
    before = tree_hash(site)
    edit(root, random.Random(1), 1)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        code, stderr = build_into(root, site)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert_clear_failure(code, stderr, ": Read-only file system")
    assert tree_hash(site) == before


def test_a_file_where_the_output_folder_should_be_is_one_line(tmp_path: Path) -> None:
    root = make_site(tmp_path / "project", count=3)
    (tmp_path / "blocker").write_text("not a folder", "utf-8")
    code, stderr = build_into(root, tmp_path / "blocker" / "site")
    assert_clear_failure(code, stderr, "blocker/.site.prev: Not a directory")


# --- convert killed while it writes --------------------------------------------------------


def seed_text(number: int, version: int) -> str:
    paragraphs = [
        f"Paragraph {p} of seed {number}, version {version}: delegates from Ukraine and South "
        "Korea discussed trade, investment and education with the city of Harbin." * 2
        for p in range(5)
    ]
    title = f"Delegation {number} visits Harbin (version {version})"
    return "\n\n".join([title, "2021-03-04", *paragraphs])


def test_killed_convert_never_overwrites_an_edit_nor_truncates(tmp_path: Path) -> None:
    root, seeds = tmp_path / "project", 150
    (root / "seeds").mkdir(parents=True)
    versions = dict.fromkeys(range(seeds), 0)
    for number in range(seeds):
        (root / "seeds" / f"{number:03}.txt").write_text(seed_text(number, 0), "utf-8")
    began = time.monotonic()
    code, stderr = kill_after(portal(root, "convert"), 120)
    assert code == 0, stderr
    longest = time.monotonic() - began
    content = root / "content"
    edited: dict[Path, bytes] = {}
    rng = random.Random(99)
    kills = 0
    for round_ in range(12):
        for path in rng.sample(sorted(content.glob("*.md")), 3):
            data = path.read_bytes() + f"\nAn editor's line {round_}.\n".encode()
            path.write_bytes(data)
            edited[path] = data
        for number in rng.sample(range(seeds), 40):  # newer versions of seeds: rewrites
            versions[number] += 1
            (root / "seeds" / f"{number:03}.txt").write_text(
                seed_text(number, versions[number]), "utf-8"
            )
        code, stderr = kill_after(portal(root, "convert"), rng.uniform(0.05, longest))
        assert code in (0, -signal.SIGKILL), stderr
        kills += code == -signal.SIGKILL
        for path, data in edited.items():
            assert path.read_bytes() == data, f"round {round_}: {path.name} was overwritten"
        for path in sorted(content.glob("*.md")):
            parse_file(path, path.name, body_store(None), "text")  # whole, not truncated
    code, stderr = kill_after(portal(root, "convert"), 120)
    assert code == 0, stderr
    for path, data in edited.items():
        assert path.read_bytes() == data
    stale = []
    for path in sorted(set(content.glob("*.md")) - set(edited)):
        article, _ = parse_file(path, path.name, body_store(None), "text")
        number = int(article.seed.removesuffix(".txt"))
        if f"(version {versions[number]})" not in article.title:
            stale.append(path.name)
    # A killed run's files are still convert's: the complete run updated them all.
    assert not stale, f"{len(stale)} files look edited but were not: {stale[:3]}"
    assert kills >= 6, f"only {kills} converts were killed mid-way"


def test_manifest_cut_short_by_a_kill_is_swept(tmp_path: Path) -> None:
    # A build killed while writing the spare's manifest left half of it; the next build read
    # it as "holds nothing", kept the spare's files as they were, and published the page of an
    # article deleted meanwhile.
    root = make_site(tmp_path / "project", count=12)
    for _ in range(2):
        assert kill_after(portal(root, "build"), 60)[0] == 0
        edit(root, random.Random(3), 1)  # .site.prev now holds the first build
    manifest = root / ".site.prev" / MANIFEST
    manifest.write_text(manifest.read_text("utf-8")[:200], "utf-8")
    (root / "content" / "article-3.md").unlink()
    assert kill_after(portal(root, "build"), 60)[0] == 0
    assert equals_clean_build(root / "site", root, tmp_path / "clean")


DYING_WORKER = """
import os, sys
from pathlib import Path
import generator.incremental.rendering as rendering
from generator.build import build
from generator.config import load_config
from generator.errors import InputError

parent = os.getpid()
render_chunk = rendering._render_chunk

def dying(bounds):
    if os.getpid() != parent:
        os.kill(os.getpid(), 9)  # as the kernel kills the biggest process when memory runs out
    return render_chunk(bounds)

rendering._render_chunk = dying
try:
    build(load_config(Path(sys.argv[1]) / "site.yaml"), say=print, warn=print)
except InputError as error:
    print(error)
    sys.exit(3)
"""


def test_a_render_worker_killed_fails_the_build_instead_of_hanging(tmp_path: Path) -> None:
    root = make_site(tmp_path / "project")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The timeout is the test: multiprocessing.Pool used to wait forever for the lost pages.
    done = subprocess.run(
        [sys.executable, "-c", DYING_WORKER, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "a worker process stopped without finishing (out of memory?)" in done.stdout
    assert not (root / "site").exists()  # nothing half-made was published
    code, stderr = kill_after(portal(root, "build"), 120)
    assert code == 0, stderr
    is_whole(root / "site")
