"""An open tab in headless Chromium reloads by itself after an edit and shows the new title."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_preview import Running, preview  # noqa: F401 (the fixture)

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e .[test]")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
URL = "2020/12/harbin-ukraine-to-further-deepen-business-cooperation/"


def test_open_tab_reloads_after_an_edit(preview: Running) -> None:  # noqa: F811
    path = next((preview.root / "content").glob("harbin-ukraine*.md"))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(preview.base_url + URL)
            assert page.inner_text("h1") == "Harbin, Ukraine to further deepen business cooperation"
            text = path.read_text("utf-8")
            path.write_text(text.replace("title: Harbin, Ukraine", "title: Kharkiv, Ukraine"))
            page.wait_for_function(
                "document.querySelector('h1').textContent.startsWith('Kharkiv')", timeout=15000
            )
            assert (
                page.inner_text("h1") == "Kharkiv, Ukraine to further deepen business cooperation"
            )
            # A broken edit shows the error in the tab; fixing it clears the error by itself.
            path.write_text(text.replace("date: 2020-12-04", "date: 2020-12-40"))
            page.wait_for_selector("#portal-build-error", timeout=15000)
            assert ".md:3: date: '2020-12-40' is not a date" in page.inner_text(
                "#portal-build-error"
            )
            path.write_text(text)
            page.wait_for_selector("#portal-build-error", state="detached", timeout=15000)
            assert page.inner_text("h1").startswith("Harbin, Ukraine")
            assert problems == []
        finally:
            browser.close()
