"""The widths of an 附件 table's columns: figures, dates and times on one line, as wide as
their longest value needs in the font a machine without the office's fonts falls back to; the
text columns share the rest by weight."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from docx.shared import Pt, Twips


def fallback_width(text: str) -> float:
    """Width in character cells of figures and Latin text in the proportional font a machine
    without the office's fonts falls back to (DejaVu Sans: a digit 0.64, a comma or point 0.32,
    % 0.95), so that what must fit on one line does there too."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" or c == "%" else 0.32 if c in ",.:" else 0.64
               for c in text)


# Table Grid's cell margins, left and right (108 twips each), and what a column keeps on one
# line: figures, dates and times (and 无, a time that is missing).
CELL_MARGINS = Twips(2 * 108)
ONE_LINE = re.compile(r"[0-9.,:%\- ]*|无")
HEADER_KEPT = 4  # characters of a header never broken


def column_widths(header: Sequence[str], cells: Sequence[Sequence[str]], weights: Sequence[float],
                  total: int, size: float) -> list[int]:
    """Each column's width (EMU) in a table `total` wide, its text `size` points: a column of figures, dates or times as
    wide as its longest value needs on one line; the rest shared by the text columns by weight,
    none narrower than the first characters of its header. When that cannot fit (huge
    figures), the text columns have their shares by weight and the figures wrap in what is left."""
    def need(texts: Sequence[str]) -> int:
        return int(max(fallback_width(text) for text in texts) * Pt(size)) + CELL_MARGINS

    shares = [int(total * w / sum(weights)) for w in weights]
    kept = {n: need([title[:HEADER_KEPT], *(row[n] for row in cells)]) for n, title in enumerate(header)
            if all(ONE_LINE.fullmatch(row[n]) for row in cells)}
    floors = {n: need([title[:HEADER_KEPT]]) for n, title in enumerate(header) if n not in kept}
    free = total - sum(kept.values())
    if free < sum(floors.values()):  # huge figures: the text by its weights, the figures share the rest
        text = {n: shares[n] for n in floors}
        room = total - sum(text.values())
        if not kept or room <= 0:
            return shares
        widths = {**text, **{n: int(width * room / sum(kept.values())) for n, width in kept.items()}}
        return [widths[n] for n in range(len(header))]
    widths = dict(kept)
    rest = dict(floors)
    while rest:  # by weight; a column its share leaves under its floor gets the floor, the others share again
        weight = sum(weights[n] for n in rest)
        short = {n for n in rest if free * weights[n] / weight < rest[n]}
        if not short:
            widths.update({n: int(free * weights[n] / weight) for n in rest})
            break
        for n in short:
            widths[n] = rest.pop(n)
            free -= widths[n]
    return [widths[n] for n in range(len(header))]
