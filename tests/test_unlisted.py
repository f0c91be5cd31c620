"""The pages outside the navigation, built aside (site/unlisted.py): in this process for a few, in
forked workers for many. Either way the site is byte for byte what mkdocs' plain build writes,
a warning about such a page still fails the strict build, and every page is counted."""

import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

import generator.site.engine.unlisted as unlisted
from generator.core.running import Progress
from generator.site import SiteError
from generator.site.build import build_site
from generator.validate.pipeline import validate_repo
from helpers import FIXTURES, REPO, build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def differing(one: Path, other: Path) -> list[str]:
    first, second = tree(one), tree(other)
    return sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))


@pytest.fixture
def forked(monkeypatch, forking):
    """The few pages of a fixture city made to take the worker processes' path."""
    monkeypatch.setattr(unlisted, "PARALLEL_FROM", 1)
    monkeypatch.setattr(unlisted.os, "cpu_count", lambda: 2)  # a pool even on a one-core runner


def plain(root: Path, out: Path, monkeypatch, **kwargs) -> Path:
    """The site as mkdocs' own build makes it, every page in turn."""
    with monkeypatch.context() as patch:
        patch.setattr(unlisted, "ENABLED", False)
        return build(root, "office", out, **kwargs)


def test_the_example_city_is_the_same_as_mkdocs_builds_it(example_office, tmp_path, monkeypatch):
    assert differing(plain(REPO, tmp_path / "plain", monkeypatch, as_of=None), example_office) == []


def test_pages_built_in_workers_are_the_same_as_mkdocs_builds_them(mini_office, tmp_path, monkeypatch, forked):
    built = build(FIXTURES / "mini", "office", tmp_path / "forked")
    reference = plain(FIXTURES / "mini", tmp_path / "plain", monkeypatch)
    assert differing(built, reference) == [] and differing(mini_office, reference) == []
    assert len(list((built / "units").glob("*.html"))) == 6 and (built / "sitemap.xml.gz").is_file()


def broken(tmp_path: Path, template: str = "", page: str = "") -> Path:
    """The fixture city with a line added to the unit page template and to a hand-written page."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(REPO / "site_src", root / "site_src")
    for path, line in [("site_src/templates/unit.html.j2", template), ("site_src/pages/office/guide/submit.md", page)]:
        (root / path).write_text((root / path).read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return root


def site_of(root: Path, out: Path) -> None:
    build_site(validate_repo(root).records, root, "office", out)


@pytest.mark.parametrize("where", ["here", "forked"])
@pytest.mark.parametrize("template, page", [
    ('<a href="no-such-page.html">坏链接</a>', ""),  # a link from a unit page to no page
    ('<a href="../guide/submit.html#no-such-anchor">坏锚点</a>', ""),  # to no anchor of a page mkdocs builds
    ("", "[坏锚点](../units/sl-jtj.md#no-such-anchor)"),  # from such a page to no anchor of a unit page
])
def test_a_warning_about_a_page_built_aside_fails_the_build(tmp_path, request, where, template, page):
    if where == "forked":
        request.getfixturevalue("forked")
    with pytest.raises(SiteError, match="严格模式") as failed:
        site_of(broken(tmp_path, template, page), tmp_path / "out")
    assert "no-such-" in str(failed.value)  # the message names the broken link, whichever process found it


def test_anchors_into_pages_built_aside_are_known(tmp_path, forked):
    """The anchors a worker found are handed to mkdocs' check: a link to one that exists passes."""
    root = broken(tmp_path, '<a href="sl.html#示例市人民政府示例">上级</a>',
                  "[单位](../units/sl-jtj.md#示例市交通运输局示例)")
    site_of(root, tmp_path / "out")
    page = (tmp_path / "out" / "guide" / "submit.html").read_text(encoding="utf-8")
    assert re.search(r'href="../units/sl-jtj.html#[^"]+"', page)


def test_the_build_counts_every_page(tmp_path, forked):
    log = io.StringIO()
    build_site(validate_repo(FIXTURES / "mini").records, FIXTURES / "mini", "office", tmp_path / "site",
               progress=Progress(log))
    pages = len([p for p in (tmp_path / "site").rglob("*.html") if p.name != "404.html"])
    assert f"mkdocs 构建：{pages:,} 页" in log.getvalue()


def test_a_repositorys_own_navigation_partial_is_rendered_for_every_page(tmp_path, monkeypatch, forked):
    """Only the theme's own navigation is known to be the same for a folder's pages: an override
    that is not (here it names the page) is rendered page by page."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "site_src" / "overrides" / "partials").mkdir(parents=True)
    (root / "site_src" / "overrides" / "partials" / "nav.html").write_text("<nav>{{ page.url }}</nav>\n")
    built = build(root, "office", tmp_path / "forked")
    assert differing(built, plain(root, tmp_path / "plain", monkeypatch)) == []
    assert "<nav>units/sl-jtj.html</nav>" in (built / "units" / "sl-jtj.html").read_text(encoding="utf-8")


def die(_state: object, _share: list[int]) -> None:
    os._exit(1)  # as when the kernel kills a worker for want of memory


def test_a_worker_that_dies_fails_the_build_with_a_message(tmp_path, monkeypatch, forked):
    monkeypatch.setattr(unlisted, "_build_share", die)
    with pytest.raises(SiteError, match="工作进程意外退出"):
        site_of(FIXTURES / "mini", tmp_path / "out")
