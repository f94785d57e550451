"""The dashboard's toggle for suggested links (issue 16), in a real headless Chromium against
a real `wsiskg serve` of the built-in data: off by default, on an Action Line's page and in a
matrix cell it shows the suggestions apart, each with its score and the words that led to it,
and never changes what the page shows of the stated links."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def base(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("dashboard-suggested") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: the dashboard tests need Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert errors == []


def _scores(page: Page, table: str) -> list[float]:
    cells = page.locator(f'table[data-table="{table}"] tbody tr td:nth-child(5)')
    return [float(text.split()[0]) for text in cells.all_inner_texts()]


def test_the_action_line_page_shows_suggestions_only_when_asked(base: str, page: Page) -> None:
    page.goto(f"{base}/dashboard/action-lines/C5")
    stated = page.locator('table[data-table="supporting-work"] tbody tr').count()
    summary = page.locator("#work-summary").inner_text().split("each once:")[1]
    toggle = page.get_by_label("Show suggested links")
    expect(toggle).not_to_be_checked()
    expect(page.locator("#suggested")).to_have_count(0)
    expect(page.locator('table[data-table="suggested-work"]')).to_have_count(0)
    toggle.check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"suggested=show"))
    expect(page.locator("#suggested")).to_contain_text("Suggested, not stated")
    rows = page.locator('table[data-table="suggested-work"] tbody tr')
    assert rows.count() > 50  # the security Recommendations (X.1xxx) among them
    assert any(label.startswith("ITU-T X.") for label in rows.locator("th").all_inner_texts())
    assert all(score > 0 for score in _scores(page, "suggested-work"))
    words = rows.locator("td:nth-child(6)").all_inner_texts()
    assert any("security" in text.split() for text in words)
    assert all("bm25s" in text for text in words)  # the method's version under the words
    # the stated links are what they were
    assert page.locator('table[data-table="supporting-work"] tbody tr').count() == stated
    # (Apply sends the checked sectors, all of them: the summary names them)
    assert page.locator("#work-summary").inner_text().split("each once:")[1] == summary
    expect(page.get_by_label("Show suggested links")).to_be_checked()


def test_a_matrix_cell_shows_its_suggestions_only_when_asked(base: str, page: Page) -> None:
    page.goto(f"{base}/dashboard?action_line=C5&goal=16")
    heading = page.locator("#evidence h2").inner_text()
    links = page.locator("#evidence table[data-table='cell'] tbody tr").count()
    expect(page.locator("table[data-table='cell-suggested']")).to_have_count(0)
    toggle = page.get_by_label("Show suggested links in a cell")
    expect(toggle).not_to_be_checked()
    toggle.check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"suggested=show"))
    expect(page.locator("#suggested-title")).to_contain_text("Suggested, not stated")
    rows = page.locator("table[data-table='cell-suggested'] tbody tr")
    assert rows.count() > 0
    targets = rows.locator("strong.target").all_inner_texts()
    assert all(target.split(".")[0] == "16" for target in targets)
    scores = rows.locator("td:nth-child(3)").all_inner_texts()
    assert all(float(text.split()[0]) > 0 for text in scores)
    # the cell's own links and its count are what they were
    assert page.locator("#evidence h2").inner_text() == heading
    assert page.locator("#evidence table[data-table='cell'] tbody tr").count() == links
    # the cell page alone (what the matrix opens in place) keeps the toggle too
    page.goto(f"{base}/dashboard/cell?action_line=C5&goal=16&suggested=show")
    assert page.locator("table[data-table='cell-suggested'] tbody tr").count() == rows.count()
