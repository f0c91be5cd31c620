"""The WordprocessingML that python-docx has no call for, kept to these few pieces: the
document grid, East Asian font names, character spacing and scale, the PAGE field, paragraph
borders, a frame at the foot of the page, the repeated table header, a table's body rows at
once, and the package's parts as its writer makes them. Each element goes where the schema
orders it (Word refuses a file with its children out of order).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, RGBColor

# What follows a paragraph's borders and a run's character scale in their parents, in the
# order the schema fixes (Word refuses a file with them out of order).
AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                 "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_SCALE = ("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
               "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
               "w:specVanish", "w:oMath")



def _element(tag: str, **attributes: str):
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def grid(section, kind: str, line_pitch: int, char_space: int) -> None:
    """The section's document grid (w:docGrid): its type, line pitch (twips) and charSpace."""
    found = section._sectPr.find(qn("w:docGrid"))
    if found is None:
        found = _element("w:docGrid")
        section._sectPr.append(found)
    for key, value in (("type", kind), ("linePitch", str(line_pitch)), ("charSpace", str(char_space))):
        found.set(qn(f"w:{key}"), value)


def east_asian(rpr_owner, name: str) -> None:
    """Set a font for every script, East Asian included (python-docx sets only the Latin ones)."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def font_table(doc, fonts: dict[str, str]) -> None:
    """The document's font table: each font it uses with the font Word and WPS put in its place
    on a machine without it (w:altName), as GB2312 (charset 86) text. python-docx's template
    lists Western and Japanese fonts the document never uses."""
    [part] = [rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")]
    table = OxmlElement("w:fonts")
    for name, substitute in fonts.items():
        font = _element("w:font", name=name)
        for tag, value in (("w:altName", substitute), ("w:charset", "86"), ("w:family", "auto"),
                           ("w:pitch", "variable")):
            font.append(_element(tag, val=value))
        table.append(font)
    part._blob = serialize_part_xml(table)


def condense(style, twentieths: int) -> None:
    """Character spacing of a style, in twentieths of a point (negative: condensed)."""
    style.element.get_or_add_rPr().insert_element_before(_element("w:spacing", val=str(twentieths)), "w:w",
                                                         *AFTER_SCALE)


def char_scale(run, percent: int) -> None:
    """A run's characters narrowed to `percent` of their width (w:w)."""
    run._r.get_or_add_rPr().insert_element_before(_element("w:w", val=str(percent)), *AFTER_SCALE)


def off_grid(style) -> None:
    """A style whose lines keep their own height, not snapped to the document grid."""
    style.element.get_or_add_pPr().insert_element_before(_element("w:snapToGrid", val="0"),
                                                         *AFTER_BORDERS[AFTER_BORDERS.index("w:snapToGrid") + 1:])


def bottom_frame(paragraph, width: int) -> None:
    """Put a paragraph in a frame `width` twips wide at the foot of the text block."""
    frame = _element("w:framePr", w=str(width), wrap="around", vAnchor="margin", hAnchor="margin",
                     xAlign="center", yAlign="bottom")
    paragraph._p.get_or_add_pPr().insert_element_before(frame, "w:widowControl", "w:numPr", "w:suppressLineNumbers",
                                                        "w:pBdr", *AFTER_BORDERS)


def field(paragraph, instruction: str) -> None:
    """A field (PAGE) as Word writes one: begin, instruction, separate, a shown value, end."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run("1")
    char("end")


def border(paragraph, side: str, colour: RGBColor, eighths: int, space: int, kind: str = "single") -> None:
    """A rule above or below a paragraph, the width of the text block (a paragraph border)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *AFTER_BORDERS)
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", kind), ("sz", str(eighths)), ("space", str(space)), ("color", str(colour))):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def repeat_header(row) -> None:
    """Repeat a table's header row at the top of every page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


class _Collected:
    """python-docx's package writer, writing its parts into a list instead of a zip."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bytes]] = []

    def write(self, uri, blob: bytes) -> None:
        self.parts.append((uri.membername, blob))


def table_rows(table, rows: Sequence[Sequence[str]], widths: Sequence[int], style: str, right: set[int]) -> None:
    """Append `rows` of text to `table` as python-docx's add_row, a cell's width, paragraph style,
    right alignment (the columns `right`) and add_run would make them, byte for byte; but parsed
    at once, where python-docx takes a second a document (finding a new row's cells walks the
    whole table, and each property set looks its element up again)."""
    aligned = '<w:jc w:val="right"/>'
    cells = [(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{Emu(width).twips}"/></w:tcPr><w:p><w:pPr>'
              f'<w:pStyle w:val="{escape(style)}"/>{aligned if column in right else ""}</w:pPr>')
             for column, width in enumerate(widths)]
    body = "".join(
        "<w:tr>" + "".join(f"{cell}{_run(text)}</w:p></w:tc>" for cell, text in zip(cells, values, strict=True))
        + "</w:tr>" for values in rows)
    for row in list(parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>")):
        table._tbl.append(row)


def _run(text: str) -> str:
    if not text:
        return "<w:r/>"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:r><w:t{space}>{escape(text, quote=False)}</w:t></w:r>"


def package_parts(doc) -> list[tuple[str, bytes]]:
    """The parts of the package as python-docx's save writes them (pinned python-docx)."""
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    collected = _Collected()
    PackageWriter._write_content_types_stream(collected, package.parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, package.parts)  # type: ignore[arg-type]  # it only calls write
    return collected.parts


