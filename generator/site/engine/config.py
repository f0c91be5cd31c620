"""What the engine is asked to build, and the mkdocs.yml it builds from, written beside the docs folder.

A build decides the site's name, its navigation, the output folder and the theme's override
folders; the theme, Markdown extensions and plugins are the repository's (or the product's)
mkdocs.yml. The file written here inherits that one (`INHERIT`, which mkdocs and Zensical both
read) and sets what the build decides, with the docs folder beside it, because Zensical refuses
a docs folder outside its configuration's folder. mkdocs builds from this very file; the
Zensical canary (tools/zensical_canary.py) builds from it as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .. import SiteError

CONFIG = "mkdocs.yml"  # beside the docs folder
HEADER = "# 由 qingqian build 生成，每次生成网站时重写；网站的设置在它继承的文件中。\n"


@dataclass(frozen=True)
class Job:
    """Build the docs folder `docs` into the folder `out`, with this name and navigation."""
    base: Path  # the mkdocs.yml inherited
    docs: Path
    out: Path
    site_name: str
    nav: list
    today: date  # the build's date, stamped into the sitemap
    overrides: tuple[Path, ...] = ()  # the theme's override folders, the front-most first
    versioned: bool = False  # published with mike: the theme shows the version selector

    @property
    def config(self) -> Path:
        return self.docs.parent / CONFIG


def html_of(markdown_path: str) -> str:
    """The page a Markdown file of the docs folder becomes (mkdocs.yml: use_directory_urls: false)."""
    return markdown_path.removesuffix(".md") + ".html"


def write_config(job: Job) -> Path:
    """Write the job's configuration beside its docs folder; its path. A file of that name that
    this module did not write is never overwritten."""
    path = job.config
    if path.is_file() and not path.read_text(encoding="utf-8", errors="replace").startswith(HEADER):
        raise SiteError(f"“{path}”不是生成网站时写的配置文件，为免覆盖它，请把生成的页面放在别的目录")
    settings: dict[str, Any] = {
        "INHERIT": str(job.base.resolve()), "site_name": job.site_name, "docs_dir": job.docs.name,
        "site_dir": str(job.out.resolve()), "nav": job.nav}
    if job.overrides:
        settings["theme"] = {"custom_dir": str(job.overrides[0].resolve())}
    if job.versioned:  # Material reads ../versions.json
        settings["extra"] = {"version": {"provider": "mike"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class _AnyTag(yaml.SafeLoader):
    """Reads a configuration for its plain settings: a tagged value (`!ENV`, `!!python/name:`) is None."""


_AnyTag.add_multi_constructor("", lambda _loader, _suffix, _node: None)
_AnyTag.add_multi_constructor("tag:yaml.org,2002:python/", lambda _loader, _suffix, _node: None)


def custom_dir(base: Path) -> Path | None:
    """The theme's `custom_dir` of the configuration `base` or of one it inherits, resolved as mkdocs
    resolves it when it reads `base`: a relative path is from `base`'s folder, even an inherited one."""
    folder, path = base.parent, base
    for _hop in range(10):
        try:
            settings = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTag) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SiteError(f"网站配置“{path}”读不出：{exc}") from exc
        if not isinstance(settings, dict):
            return None
        theme = settings.get("theme")
        if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
            return (folder / theme["custom_dir"]).resolve()
        if not isinstance(settings.get("INHERIT"), str):
            return None
        path = path.parent / settings["INHERIT"]
    return None
