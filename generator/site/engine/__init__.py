"""The site engine: what is particular to mkdocs and mkdocs-material, behind one interface.

The rest of the site stage writes a docs folder (Markdown, the unit and creditor pages as HTML,
assets, downloads) and asks the engine, through these names only, to
  - `build` a `Job`: the docs folder into an output folder, with a site name and a navigation,
  - `update` it: the same after some pages changed, only what they touch, and
  - serve the output folder while it is rebuilt (`live_server`).
The engine reads `mkdocs.yml` written beside the docs folder (config.py), which inherits the
repository's own; Zensical, mkdocs-material's successor, reads the same file (its canary in CI:
tools/zensical_canary.py). The mkdocs side (material.py) builds the hand-written and summary pages
itself; its plugins take the many pages outside the navigation off its hands (unlisted.py, on every
core), write the unit and creditor pages' HTML into the theme's layout without Markdown
(html_pages.py, shell.py) and keep the data tables out of its parsers (tables.py).
"""

from .config import Job, custom_dir, html_of, write_config
from .live import Server, live_server
from .material import build, update

__all__ = ["Job", "Server", "build", "custom_dir", "html_of", "live_server", "update", "write_config"]
