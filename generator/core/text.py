"""Data text made inert for Markdown and HTML: one escape for every page and report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

# Anywhere: characters with meaning in Markdown, its extensions or HTML. At the start of a
# value also the list and rule markers, which count only when a space, the end or another
# marker follows (so amounts such as -80000.00 and 520000.10 stay readable in the source).
_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#|~^=&\"'!:$]|^[-+](?=[\s\-+]|$)|^\.|^\d+[.)](?=\s|$)")


def escape(value: object) -> Markup:
    """A data value as inert text for Markdown and HTML alike."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, date):
        return Markup(value.isoformat())
    if isinstance(value, bool):
        return Markup("是" if value else "否")
    if isinstance(value, int):
        return Markup(str(value))
    text = " ".join(str(value).split())
    return Markup(_SPECIAL.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), text))


def table(header: list[str], rows: list[list[object]], right: Sequence[bool] = ()) -> list[str]:
    """Lines of a Markdown table whose every data cell is escaped; `right[i]` aligns column i
    to the right (numbers)."""
    align = [right[i] if i < len(right) else False for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "".join("---:|" if r else "---|" for r in align)]
    return lines + ["| " + " | ".join(escape(v) for v in row) + " |" for row in rows]
