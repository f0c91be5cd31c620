"""Putting data text into Markdown safely: one escape for table cells, shared by every page."""

from __future__ import annotations

import html
import re

# Inline syntax only: a table cell never starts a block, so `-`, `#` and `1.` are harmless there;
# `{` covers attribute lists, `~ ^ =` the pymdownx inline extensions.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]|~^=])")


def cell(value: object) -> str:
    """Text for a Markdown table cell: HTML escaped, Markdown syntax and pipes neutralised,
    line breaks kept as <br> so a newline in the data cannot end the row."""
    text = html.escape(str(value), quote=True)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines
