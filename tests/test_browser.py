"""The built sites in a real browser: Debian's headless Chromium driven by Selenium.

`python3 dev.py test` installs the packages `chromium` and `chromium-driver` when missing.
Each site is served from 127.0.0.1; the browser's own network log must show no request
to any other host.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from helpers import REPO, wait_for


def requested(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_dashboard_draws_its_charts_without_errors(driver, serve, example_office):
    driver.get(serve(example_office) + "index.html")
    canvases = wait_for(driver, "document.querySelectorAll('canvas[data-chart]').length")
    assert canvases == 4
    assert wait_for(driver, "document.querySelectorAll('canvas[data-chart-ready]').length") == canvases
    # a drawn chart has coloured pixels: the bars of the first chart are not all blank
    painted = driver.execute_script("""
        const c = document.querySelector('canvas[data-chart]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;""")
    assert painted > 1000
    assert console_errors(driver) == []


def test_progress_page_draws_its_line_charts(driver, serve, example_office):
    driver.get(serve(example_office) + "progress.html")  # the repository's own history
    canvases = wait_for(driver, "document.querySelectorAll('canvas[data-chart]').length")
    assert canvases == 4
    assert wait_for(driver, "document.querySelectorAll('canvas[data-chart-ready]').length") == canvases
    kind, xs, days = driver.execute_script("""
        const chart = Chart.getChart(document.querySelector('canvas[data-chart]'));
        return [chart.scales.x.type, chart.getDatasetMeta(0).data.map(p => p.x),
                chart.data.datasets[0].data.map(p => p.x)];""")
    assert kind == "linear" and len(xs) == len(days) > 1
    # a time axis: as many pixels per day between any two points, daily or a week apart
    widths = [(xs[i + 1] - xs[i]) / (days[i + 1] - days[i]) for i in range(len(xs) - 1)]
    assert max(widths) - min(widths) < 0.01 * max(widths)
    assert console_errors(driver) == []


def test_no_request_leaves_localhost(driver, serve, example_office, mini_public):
    driver.get_log("performance")  # drop what earlier tests left
    office = serve(example_office)
    for page in ("index.html", "ledgers/index.html", "units/lx-jyj.html", "overdue.html", "cases.html"):
        driver.get(office + page)
        wait_for(driver, "document.readyState === 'complete'")
    driver.get(serve(mini_public) + "index.html")
    wait_for(driver, "document.querySelectorAll('canvas[data-chart-ready]').length > 0")
    urls = requested(driver)
    assert urls, "the network log recorded the page loads"
    outside = [u for u in urls if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert console_errors(driver) == []


def search_finds(driver, base: str, query: str, page: str) -> bool:
    """Type the query into Material's search box; whether a result links to `page`."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    driver.get(base + "index.html")
    wait_for(driver, "document.readyState === 'complete'")
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(query)
    script = ("[...document.querySelectorAll('.md-search-result__item a')]"
              f".some(a => new URL(a.href).pathname === '/{page}')")
    try:
        return wait_for(driver, script)
    except TimeoutException:
        return False


@pytest.mark.parametrize(("query", "page"), [
    ("岚溪县教育局", "units/lx-jyj.html"),   # a unit by its full name
    ("教育局", "units/lx-jyj.html"),        # and by a part of it
])
def test_chinese_search_finds_a_unit_by_name(driver, serve, example_office, query, page):
    assert search_finds(driver, serve(example_office), query, page)


def test_chinese_search_finds_a_firm(driver, serve, mini_office):
    assert search_finds(driver, serve(mini_office), "示例某建材有限公司", "units/sl-jtj.html")


@pytest.mark.parametrize(("query", "page"), [
    ("jt-2019-003", "units/sl-jtj.html"),  # a contract number, to its debt's row (any case)
    ("91990100MA00000073", "creditors/91990100MA00000073.html"),  # a creditor's credit code
    ("11990100MB0000002X", "units/sl-czj.html"),  # a unit's
    ("sl-gzw", "units/sl-gzw.html"),  # a unit id
])
def test_codes_and_numbers_find_their_page_through_the_sites_own_table(driver, serve, mini_office, query, page):
    assert search_finds(driver, serve(mini_office), query, page)


def test_a_ledger_table_sorts_and_filters(driver, serve, example_office):
    from selenium.webdriver.common.by import By
    driver.get(serve(example_office) + "ledgers/990121.html")
    wait_for(driver, "document.querySelector('.qq-table table[data-table-ready]')")
    column = """
        const t = [...document.querySelectorAll('.qq-table table')].find(t => t.tHead.textContent.includes('未清偿'));
        const i = [...t.tHead.rows[0].cells].findIndex(c => c.textContent === '未清偿（元）');
        return [...t.tBodies[0].rows].filter(r => !r.hidden).map(r => Number(r.cells[i].dataset.sort));"""
    header = driver.find_element(By.XPATH, "//div[@class='qq-table']//th[text()='未清偿（元）']")
    header.click()
    first = driver.execute_script(column)
    header.click()
    second = driver.execute_script(column)
    assert len(first) > 5
    assert {tuple(first), tuple(second)} == {tuple(sorted(first)), tuple(sorted(first, reverse=True))}
    box = driver.find_element(By.CSS_SELECTOR, ".qq-table input.qq-filter")
    box.send_keys("教育局")
    assert len(driver.execute_script(column)) == 1
    assert console_errors(driver) == []


def test_a_long_table_filters_and_counts_its_rows(driver, serve, example_office):
    from selenium.webdriver.common.by import By
    driver.get(serve(example_office) + "overdue.html")
    wait_for(driver, "document.querySelector('.qq-table table[data-table-ready]')")
    table = driver.find_element(By.CSS_SELECTOR, ".qq-table")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    count = table.find_element(By.CSS_SELECTOR, ".qq-count")
    assert count.text == f"显示 {len(rows)} / {len(rows)} 笔"
    table.find_element(By.CSS_SELECTOR, "input.qq-filter").send_keys("教育局")
    shown = [r for r in rows if r.is_displayed()]
    assert 0 < len(shown) < len(rows)
    assert all("教育局" in r.text for r in shown)
    assert count.text == f"显示 {len(shown)} / {len(rows)} 笔"
    assert console_errors(driver) == []


def test_public_site_offers_no_office_page(driver, serve, mini_public):
    base = serve(mini_public)
    driver.get(base + "index.html")
    wait_for(driver, "document.readyState === 'complete'")
    links = driver.execute_script("return [...document.querySelectorAll('nav a')].map(a => a.href)")
    pages = {urlsplit(link).path.lstrip("/") for link in links}
    assert pages <= {"", "index.html", "cases.html", "disclosure.html", "about.html"}, pages
    for page in ("overdue.html", "supervision.html", "clues.html", "downloads.html", "units/sl-jtj.html"):
        driver.get(base + page)
        assert "404" in driver.page_source


def test_intranet_browsers_are_told_to_use_the_chromium_engine(mini_office, mini_public):
    """360 and other dual-engine browsers open intranet pages in IE mode unless the page says
    otherwise; X-UA-Compatible only counts before any element other than <title> and <meta>."""
    for site in (mini_office, mini_public):
        for page in ("index.html", "404.html"):
            head = (site / page).read_text(encoding="utf-8").split("<head>", 1)[1].split("</head>", 1)[0]
            assert head.lstrip().startswith('<meta http-equiv="X-UA-Compatible" content="IE=edge">'), page
            assert '<meta name="renderer" content="webkit">' in head


def test_the_old_browser_notice_shows_only_where_the_site_cannot_run(driver, serve, mini_office):
    driver.get(serve(mini_office) + "index.html")
    wait_for(driver, "document.readyState === 'complete'")
    notice = driver.execute_script("return document.querySelector('.qq-oldbrowser')")
    assert "极速模式" in notice.get_attribute("textContent")
    assert not notice.is_displayed()  # a current Chromium runs the site
    # An engine without @supports (IE's) never applies the rule that hides it.
    removed = driver.execute_script("""
        let n = 0;
        for (const sheet of document.styleSheets) {
          let rules; try { rules = sheet.cssRules; } catch (e) { continue; }
          for (let i = rules.length - 1; i >= 0; i--)
            if (rules[i] instanceof CSSSupportsRule) { sheet.deleteRule(i); n++; }
        }
        return n;""")
    assert removed >= 1 and notice.is_displayed()


# Syntax and CSS that Chromium 70 (2018, the engine of many domestic browsers' 极速模式) lacks.
NEWER_JS = {
    "optional chaining": r"\?\.(?=[A-Za-z_$\[(])", "nullish coalescing": r"\?\?",
    "catch without binding": r"catch\s*\{", "private class member": r"(?:^|[\s;{.])#[A-Za-z_]",
    "static class block or field": r"\bstatic\s+(?:\{|[A-Za-z_$]+\s*=)", "numeric separator": r"\d_\d",
    "logical assignment": r"(?:\|\||&&)=", "BigInt literal": r"\b\d+n\b", "top-level await": r"^\s*await\b",
    "String.replaceAll": r"\.replaceAll\(", "Array.at/flat": r"\.(?:at|flat|flatMap)\(",
    "Object.fromEntries": r"Object\.fromEntries", "globalThis": r"\bglobalThis\b",
}
NEWER_CSS = {
    ":is/:where/:has": r":(?:is|where|has)\(", "aspect-ratio": r"aspect-ratio\s*:", "inset": r"(?<![-\w])inset\s*:",
    "clamp/min/max": r"\b(?:clamp|min|max)\(", ":focus-visible": r":focus-visible", "nesting": r"&\s*[.:\[#>~+]",
    "@layer/@container": r"@(?:layer|container)\b", "color-mix/lab": r"\b(?:color-mix|oklch|lab|lch)\(",
    "flex gap": r"display\s*:\s*(?:inline-)?flex[^}]*\bgap\s*:",
}


def strip_js(source: str) -> str:
    """Comments and string literals out, so that only code is searched."""
    return re.sub(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', source, flags=re.S)


def test_our_scripts_and_styles_run_on_chromium_70():
    assets = REPO / "site_src" / "assets"
    scripts, styles = sorted((assets / "js").glob("*.js")), sorted((assets / "css").glob("*.css"))
    assert scripts and styles
    for path in scripts:
        code = strip_js(path.read_text(encoding="utf-8"))
        for feature, pattern in NEWER_JS.items():
            assert not re.search(pattern, code, re.M), f"{path.name}: {feature}"
    for path in styles:
        css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for feature, pattern in NEWER_CSS.items():
            assert not re.search(pattern, css), f"{path.name}: {feature}"
    # The scanner does see what it forbids.
    assert re.search(NEWER_JS["optional chaining"], strip_js("a?.b // x?.y"))
    assert not re.search(NEWER_JS["optional chaining"], strip_js("x ? .5 : 1; '?.'"))
