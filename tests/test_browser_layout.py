"""The office site as a clerk sees it on a 1366×768 screen, in Debian's Chromium with a Chinese font.

Every table of a data page fits its column, every amount is right-aligned with thousands
separators, Chinese text is drawn with real glyphs (not the boxes of a missing font), and the
search box takes a full name or a unit id to that page first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import wait_for

SCREEN = (1366, 768)
DATA_PAGES = ["index.html", "ledgers/index.html", "overdue.html", "supervision.html", "clues.html",
              "progress.html", "changes.html", "reports/index.html", "downloads.html", "cases.html",
              "followthrough.html", "soe.html"]


@pytest.fixture
def screen(driver):
    """The browser with a 1366×768 layout viewport (the shared driver's window is another size)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": SCREEN[0], "height": SCREEN[1], "deviceScaleFactor": 1, "mobile": False})
    yield driver
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def data_pages(site: Path) -> list[str]:
    """The fixed data pages, every region, unit and group page, the report pages of the site and
    the creditor pages of the most debts (the widest of their kind)."""
    pages = [p for p in DATA_PAGES if (site / p).is_file()]
    pages += sorted(str(p.relative_to(site)) for p in (site / "ledgers").glob("*.html") if p.stem != "index")
    pages += sorted(str(p.relative_to(site)) for p in (site / "units").glob("*.html"))
    pages += sorted(str(p.relative_to(site)) for p in (site / "groups").glob("*.html"))
    creditors = sorted(site.glob("creditors/*.html"), key=lambda p: (-p.read_text(encoding="utf-8").count("<tr"), p))
    pages += [str(p.relative_to(site)) for p in creditors[:10]]
    pages += sorted(str(p.relative_to(site)) for p in (site / "reports").glob("*.html") if p.stem != "index")
    return pages


# What each table looks like on the page: too wide for the column, or an amount not set right.
LAYOUT = r"""
const column = document.querySelector('.md-content__inner');
const edge = column.getBoundingClientRect().right;
const money = /^-?\d{1,3}(,\d{3})*\.\d{2}$/, ungrouped = /^-?\d{4,}\.\d{2}$/;
const problems = [];
for (const table of column.querySelectorAll('table')) {
  const box = table.getBoundingClientRect();
  if (box.right > edge + 1 || table.scrollWidth > table.clientWidth + 1)
    problems.push(`table "${table.rows[0].textContent.slice(0, 40)}" is ${Math.round(box.width)} px, ` +
                  `the column ${Math.round(column.clientWidth)} px`);
  for (const cell of table.querySelectorAll('td')) {
    if (cell.offsetParent === null) continue;  // a hidden (empty) column
    const text = cell.textContent.trim();
    if (ungrouped.test(text)) problems.push(`amount without thousands separators: ${text}`);
    const align = getComputedStyle(cell).textAlign;
    if ((money.test(text) || cell.classList.contains('num')) && align !== 'right' && align !== 'end')
      problems.push(`amount ${text} is aligned ${align}`);
  }
}
return problems;
"""


def test_every_table_of_every_data_page_fits_a_1366_screen(screen, serve, example_office):
    base = serve(example_office)
    pages = data_pages(example_office)
    assert len(pages) > 50 and "units/lx-gzw.html" in pages
    found = {}
    for page in pages:
        screen.get(base + page)
        wait_for(screen, "document.readyState === 'complete'")
        problems = screen.execute_script(LAYOUT)
        if problems:
            found[page] = problems[:3]
    assert found == {}


def test_a_narrow_table_check_would_fail(screen, serve, example_office):
    """The check above can fail: the same unit page squeezed to a phone's width has tables wider than
    its column (they scroll sideways there, which is what phones may do)."""
    screen.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 600, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    screen.get(serve(example_office) + "units/lx-gzw.html")
    wait_for(screen, "document.readyState === 'complete'")
    assert any("is " in p for p in screen.execute_script(LAYOUT))


# Each character drawn on a canvas in the page's own font, as alpha bytes; U+10FFFD is in no font,
# so it is drawn as the missing-glyph box ("tofu") that a missing Chinese font gives every character.
GLYPHS = r"""
const font = getComputedStyle(document.querySelector('.md-typeset h1')).fontFamily;
function draw(text) {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext('2d');
  context.font = `48px ${font}`;
  context.textBaseline = 'top';
  context.fillText(text, 4, 4);
  return Array.from(context.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(',');
}
return {font: font, missing: draw('\u{10FFFD}'), glyphs: arguments[0].map(draw)};
"""


def test_chinese_is_drawn_with_real_glyphs_not_tofu(screen, serve, example_office):
    screen.get(serve(example_office) + "index.html")
    wait_for(screen, "document.readyState === 'complete'")
    drawn = screen.execute_script(GLYPHS, ["清", "欠", "台", "账", "逾", "期"])
    assert "Microsoft YaHei" in drawn["font"] and "Noto Sans CJK SC" in drawn["font"]
    blank = ",".join(["0"] * 64 * 64)
    assert blank not in drawn["glyphs"], "a character was not drawn at all"
    assert drawn["missing"] not in drawn["glyphs"], "Chinese is drawn as the missing-glyph box: no CJK font"
    assert len(set(drawn["glyphs"])) == 6, "different characters drew the same shape (boxes)"


def search_results(driver, base: str, query: str) -> list[str]:
    """The pages Material's search lists for `query`, in order (each result's page path)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    driver.get(base + "index.html")
    wait_for(driver, "document.readyState === 'complete'")
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    driver.execute_script("arguments[0].value = arguments[1]", box, query)
    box.send_keys(Keys.END)  # one keyup: Material searches once, for the whole query
    wait_for(driver, "/找到|个符合|没有找到/.test(document.querySelector('.md-search-result__meta').textContent)")
    return driver.execute_script("""return [...document.querySelectorAll('.md-search-result__item')]
        .map(li => new URL(li.querySelector('a').href).pathname.slice(1));""")


def page_text(site: Path, page: str) -> str:
    return re.sub(r"<[^>]+>", "", (site / page).read_text(encoding="utf-8"))


def creditor_of(site: Path, unit_page: str) -> tuple[str, str]:
    """A firm named on a unit page (its 涉及企业 list): its page and its name as the page shows it."""
    html = (site / unit_page).read_text(encoding="utf-8")
    listed = html.split('id="涉及企业"', 1)[1].split("</ul>", 1)[0]
    href, name = re.findall(r'<li><a href="\.\./(creditors/[^"]+)"[^>]*>([^<]+)</a></li>', listed)[0]
    return href, name


@pytest.mark.parametrize("query", ["岚溪县国有资产监督管理委员会", "lx-gzw"])
def test_a_full_unit_name_or_id_finds_that_unit_first(driver, serve, example_office, query):
    found = search_results(driver, serve(example_office), query)
    assert found[:1] == ["units/lx-gzw.html"], found
    assert all(query in page_text(example_office, page) for page in found), found


def test_a_full_firm_name_finds_only_pages_naming_it(driver, serve, example_office):
    firm_page, firm = creditor_of(example_office, "units/lx-gzw.html")
    owing = sorted(str(p.relative_to(example_office)) for p in (example_office / "units").glob("*.html")
                   if f'{firm_page}" title=' in p.read_text(encoding="utf-8"))
    found = search_results(driver, serve(example_office), firm)
    assert found[:1] == [firm_page], (firm, found)  # the firm's own page, then the units that owe it
    assert sorted(found[1:1 + len(owing)]) == owing, (firm, found)
    assert all(firm in page_text(example_office, page) for page in found), (firm, found)


@pytest.mark.parametrize(("query", "page"), [("逾期清单", "overdue.html"), ("督办", "supervision.html"),
                                             ("投诉线索", "clues.html")])
def test_a_page_name_finds_that_page_first(driver, serve, example_office, query, page):
    assert search_results(driver, serve(example_office), query)[:1] == [page]
