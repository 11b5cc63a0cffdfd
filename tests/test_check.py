"""portal check: every problem as file:line: message, exit code 0 only when clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.test_build import make_project


def portal_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sample_portal_is_clean(tmp_path: Path) -> None:
    result = portal_check(make_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "checked 5 articles: 0 problems"
    assert not (tmp_path / "site").exists()  # check writes nothing


def test_every_problem_is_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    content = root / "content"
    (content / "a.md").write_text(
        "---\ntitle: No country here\ndate: 2021-03-04\nslug: same-slug\n---\n\n"
        "See [the tags](/tags/trade/), [nothing](/no/such/page/) and ![a map](/img/map.png).\n"
        "Also [relative](../../../../tags/missing-tag/).\n"
    )
    (content / "b.md").write_text(
        "---\ntitle: Far future\ndate: 2999-01-01\ncountries: [China, Atlantis]\n"
        "slug: same-slug\n---\n\nText.\n"
    )
    (content / "c.md").write_text(
        "---\ntitle: Old\ndate: 1066-10-14\ncountries: [China]\n---\n\nText.\n"
    )
    result = portal_check(root)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "checked 8 articles: 8 problems"
    assert set(lines[:-1]) == {
        "content/a.md:2: no country: add `countries:`",
        "content/a.md:7: broken link: /no/such/page/",
        "content/a.md:7: missing image: /img/map.png",
        "content/a.md:8: broken link: ../../../../tags/missing-tag/",
        "content/b.md:3: date: 2999-01-01 is in the future: the article is left out until then",
        "content/b.md:4: countries: 'Atlantis' is not in the project's country table "
        "(generator/data/countries.yaml adds names)",
        "content/b.md:5: slug: slug 'same-slug' is also used by content/a.md",
        "content/c.md:3: date: 1066-10-14 is implausibly old",
    }


def test_schema_errors_are_reported_with_lines(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "content/bad.md").write_text("---\ntitle: Bad\ndate: 2021-13-01\n---\n\nText.\n")
    result = portal_check(root)
    assert result.returncode == 1
    assert "content/bad.md:3: date: '2021-13-01' is not a date (YYYY-MM-DD)" in result.stdout
    assert "Traceback" not in result.stderr


def test_links_written_with_the_subpath_are_checked_like_the_others(tmp_path: Path) -> None:
    # base_url https://example.github.io/portal/: "/portal/tags/trade/" is where the page is.
    root = make_project(tmp_path)
    (root / "content/a.md").write_text(
        "---\ntitle: Links\ndate: 2021-03-04\ncountries: [China]\n---\n\n"
        "[With the subpath](/portal/tags/trade/), [an article](/portal/2020/12/"
        "harbin-ukraine-to-further-deepen-business-cooperation/) and "
        "[a broken one](/portal/tags/no-such-tag/).\n"
    )
    result = portal_check(root)
    assert result.stdout.splitlines() == [
        "content/a.md:7: broken link: /portal/tags/no-such-tag/",
        "checked 6 articles: 1 problem",
    ], result.stdout


def test_drafts_awaiting_review_are_listed_without_failing(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "seeds/undated.txt").write_text(
        "Harbin hosts Mongolian herders\n\nHerders from Mongolia toured dairy farms in Harbin "
        "this week to learn about winter feeding and milk cooling.\n",
        "utf-8",
    )
    convert = subprocess.run(
        [sys.executable, "-m", "generator", "convert"], cwd=root, capture_output=True, text=True
    )
    assert convert.returncode == 0, convert.stderr
    result = portal_check(root)
    assert result.returncode == 0, result.stdout  # a draft cannot break the site
    lines = result.stdout.splitlines()
    [note] = [line for line in lines if "review:" in line]
    assert re.fullmatch(
        r"content/harbin-hosts-mongolian-herders\.md:\d+: review: no date found "
        r"\(a draft until reviewed\)",
        note,
    ), note
    assert lines[-1] == "checked 6 articles: 0 problems, 1 awaiting review"
