"""The 公文 page of GB/T 9704-2012, written with python-docx: what every official document of
the office shares, whatever it says.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters
(the section's document grid and an exact line pitch); the red 发文机关标志 over the 发文字号
and the red rule; title in 2号小标宋, body in 3号仿宋_GB2312, headings in 黑体 and 楷体_GB2312;
page numbers `— 1 —` in 4号宋体 on the outer side (odd pages right, even pages left).

Everything is a named paragraph style (公文正文, 公文标题, …), so the office can restyle a
document in Word without touching the program. The only XML written by hand is what
python-docx has no call for: the grid, East Asian font names, the PAGE field, borders and the
repeated table header.

Text from the data passes through `inert` first: a unit's name may carry control or
direction characters, and a character XML cannot hold would make the file unreadable.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..core.issues import shown
from ..core.xlsx import FIXED_TIME, raw_entries, zip_parts, zip_reusing
from . import wordml
from .columns import column_widths, fallback_width

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARS = 22, 28
EMU_PER_TWIP = 635
# The grid: the text block's height in 22 lines (579 twips, 28.95 pt) and its width in 28
# characters of 3号 (the pitch less 16 pt, in 1/4096 pt, as Word's charSpace counts it).
LINE_PITCH = (PAGE_HEIGHT - TOP - BOTTOM) // EMU_PER_TWIP // LINES
CHAR_PITCH = (PAGE_WIDTH - LEFT - RIGHT) / 12700 / CHARS  # points
CHAR_SPACE = round((CHAR_PITCH - 16) * 4096)
# The 28 characters themselves come from condensing every character by a quarter point
# (15.75 pt a character, in twentieths of a point), not from a character grid: LibreOffice
# gives a 16 pt character two cells of a 15.79 pt grid, 16 characters a line. So the grid is
# a line grid; its charSpace stays written for Word's page setup (指定行和字符网格).
CONDENSE = -5

# Fonts as Chinese offices install them (README: the fallbacks of a machine without them).
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, NUMBER_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
# what Word and WPS show in their place where they are not installed (Windows' own fonts)
SUBSTITUTES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", SUBHEADING_FONT: "楷体",
               NUMBER_FONT: "SimSun"}
# 号 sizes in points
SIZE_MARK, SIZE_TITLE, SIZE_BODY, SIZE_PAGE, SIZE_TABLE = 36, 22, 16, 14, 10.5
RED, BLACK = RGBColor(0xFF, 0x00, 0x00), RGBColor(0, 0, 0)
# Characters XML 1.0 cannot hold (python-docx refuses them), and those that hide or reorder
# text; core.issues.shown makes the controls and direction marks visible, this the rest.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\ufeff\u2060-\u2064\u206a-\u206f]")


def inert(value: object) -> str:
    """Data text as a document may show it: on one line, every control, direction or
    invisible character as a visible escape (\\u202e), nothing dropped."""
    text = " ".join(str(value).split())
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", shown(text))


def written_date(day: date) -> str:
    """A 成文日期 as the standard writes it: 2022年11月30日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(prefix: str, year: int, serial: int) -> str:
    """A 发文字号: 机关代字〔年份〕序号号, the year in 六角括号."""
    return f"{inert(prefix)}〔{year}〕{serial}号"


def _width(text: str) -> float:
    """Width in character cells: a Chinese character is one, a digit or Latin letter a half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


# name -> (font, size, alignment, first-line indent in characters)
STYLES = {
    "公文正文": (BODY_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "公文标题": (TITLE_FONT, SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "一级标题": (HEADING_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "二级标题": (SUBHEADING_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "主送机关": (BODY_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "发文字号": (BODY_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "发文机关标志": (TITLE_FONT, SIZE_MARK, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "署名": (BODY_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "附件标识": (HEADING_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表格文字": (BODY_FONT, SIZE_TABLE, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表头文字": (HEADING_FONT, SIZE_TABLE, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "版记": (BODY_FONT, SIZE_PAGE, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "页码": (NUMBER_FONT, SIZE_PAGE, WD_ALIGN_PARAGRAPH.RIGHT, 0),
}
KEPT_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid", "Header", "Footer",
               "Header Char", "Footer Char"}
OFF_GRID = {"发文机关标志", "表格文字", "表头文字", "页码"}


@functools.cache
def blank() -> tuple[bytes, dict[str, str]]:
    """The empty 公文 (page, grid, styles and page numbers) and its styles' ids by name, made
    once per process and opened afresh for every document: python-docx finds a style by
    walking all of them, a quarter of a second for the styles and a hundredth per paragraph."""
    doc = Document()
    _page(doc)
    _styles(doc)
    _page_numbers(doc)
    wordml.font_table(doc, SUBSTITUTES)
    parts = dict(wordml.package_parts(doc))
    return zip_parts(list(parts.items())), {name: doc.styles[name].style_id for name in (*STYLES, "Table Grid")}


@functools.cache
def _blank_entries() -> tuple[dict[str, bytes], dict]:
    """The blank's parts and their compressed entries: a document's parts the same as the
    blank's (all but its text) are copied compressed, not compressed again."""
    data, _ids = blank()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    return parts, raw_entries(data)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    wordml.grid(section, "lines", LINE_PITCH, CHAR_SPACE)
    properties = doc.core_properties
    properties.author = properties.last_modified_by = ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1


def _styles(doc) -> None:
    styles = doc.styles
    # python-docx's template carries 160 styles and their latent list (355 kB parsed for every
    # document); a 公文 needs a few, so the rest go (Word adds its built-ins back when asked)
    for style in styles.element.findall(qn("w:style")):
        if style.name_val not in KEPT_STYLES:
            styles.element.remove(style)
    latent = styles.element.find(qn("w:latentStyles"))
    if latent is not None:
        styles.element.remove(latent)
    for rel_id, rel in list(doc.part.rels.items()):  # its Word 2010 copy of the styles, 438 kB
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
    for rel_id, rel in list(doc.part.package.rels.items()):  # the template's thumbnail picture
        if rel.reltype.endswith("/thumbnail"):
            del doc.part.package.rels[rel_id]
    defaults = styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), BODY_FONT)
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.set(qn("w:val"), "en-US")  # as Chinese Word writes it: Latin text (figures) breaks by English rules
    language.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    _style(normal, BODY_FONT, SIZE_BODY, WD_ALIGN_PARAGRAPH.JUSTIFY, 0)
    wordml.condense(normal, CONDENSE)
    for name, (font, size, alignment, indent) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style(style, font, size, alignment, indent)
        if name in OFF_GRID:  # their own line height
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            wordml.off_grid(style)
        if name == "发文机关标志":
            style.font.color.rgb = RED
        if name == "表头文字":
            style.font.bold = True


def _style(style, font: str, size: float, alignment, indent: int) -> None:
    style.font.size = Pt(size)
    wordml.east_asian(style.element, font)
    layout = style.paragraph_format
    layout.alignment = alignment
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(LINE_PITCH / 20)
    layout.first_line_indent = Pt(indent * CHAR_PITCH) if indent else None
    layout.widow_control = False


def _page_numbers(doc) -> None:
    """`— N —` outside: odd pages' footer to the right, even pages' to the left, one
    character in from the text block's edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["页码"]
        paragraph.alignment = alignment
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(SIZE_PAGE)
        else:
            paragraph.paragraph_format.left_indent = Pt(SIZE_PAGE)
        paragraph.add_run("— ")
        wordml.field(paragraph, "PAGE")
        paragraph.add_run(" —")


def fit(paragraph, mark: str) -> None:
    """Narrow a 发文机关标志 to one line of the text block: Word's character scale (w:w), as
    offices narrow a long organ name, never below a third."""
    fits = (PAGE_WIDTH - LEFT - RIGHT) / 12700 / max(fallback_width(mark), 1) / SIZE_MARK
    if fits < 1:
        wordml.char_scale(paragraph.runs[0], max(33, int(fits * 100)))


class Official:
    """One 公文 being written, top to bottom: 版头, title, 主送, body, 署名, 附件, 版记."""

    def __init__(self) -> None:
        data, self.ids = blank()
        self.doc = Document(io.BytesIO(data))
        self.kept_from: int | None = None  # the 附件说明's first paragraph, kept with the 署名

    # -- the parts, in the order they are written ---------------------------------------------
    def paragraph(self, text: str = "", style: str = "公文正文"):
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self.ids[style]
        return paragraph

    def head(self, mark: str, number: str) -> None:
        """The 版头: the red 发文机关标志 (narrowed to fit one line), two blank lines, the
        发文字号, and the red rule under it."""
        mark = inert(mark)
        fit(self.paragraph(mark, "发文机关标志"), mark)
        self.paragraph()
        self.paragraph()
        numbered = self.paragraph(number, "发文字号")
        wordml.border(numbered, "bottom", RED, 12, 11)
        self.paragraph()

    def title(self, *segments: str) -> None:
        """The title, centred; when it needs two lines, they break between `segments`
        (never one character alone on the last line)."""
        text = "".join(inert(segment) for segment in segments)
        paragraph = self.paragraph("", "公文标题")
        line = (PAGE_WIDTH - LEFT - RIGHT) / 12700 / (SIZE_TITLE + CONDENSE / 20)  # characters; a margin of one
        if _width(text) + 1 <= line or len(segments) < 2:
            paragraph.add_run(text)
        else:
            for number, segment in enumerate(segments):
                run = paragraph.add_run(inert(segment))
                if number < len(segments) - 1:
                    run.add_break()
        self.paragraph()

    def addressee(self, text: str) -> None:
        self.paragraph(inert(text).rstrip("：:") + "：", "主送机关")

    def body(self, text: str):
        return self.paragraph(text, "公文正文")

    def heading(self, text: str, level: int = 1) -> None:
        self.paragraph(text, "一级标题" if level == 1 else "二级标题")

    def attachment_note(self, titles: Sequence[str]) -> None:
        """附件说明 under the body, a blank line between: 附件：1. …, the next titles aligned
        under the first."""
        if not titles:
            return
        self.kept_from = len(self.doc.paragraphs)
        self.paragraph()
        if len(titles) == 1:
            self.body(f"附件：{titles[0]}")
            return
        for number, text in enumerate(titles, 1):
            paragraph = self.body(f"{'附件：' if number == 1 else ''}{number}. {text}")
            if number > 1:
                paragraph.paragraph_format.first_line_indent = Pt(5 * CHAR_PITCH)

    def signature(self, organ: str, day: date) -> None:
        """发文机关署名 centred over the 成文日期, which stands four characters from the right;
        kept on one page with the 附件说明 and the last paragraph of the body (GB/T 9704 7.3.5:
        the 署名 never stands on a page without the text)."""
        written = written_date(day)
        organ = inert(organ)
        paragraphs = self.doc.paragraphs
        for paragraph in paragraphs[(self.kept_from or len(paragraphs)) - 1:]:  # the 署名 never on a page alone
            paragraph.paragraph_format.keep_with_next = True
        self.paragraph().paragraph_format.keep_with_next = True
        self.paragraph().paragraph_format.keep_with_next = True
        over = max(0.0, 4 + (_width(written) - _width(organ)) / 2)
        signed = self.paragraph(organ, "署名").paragraph_format
        signed.right_indent, signed.keep_with_next = Pt(over * CHAR_PITCH), True
        self.paragraph(written, "署名").paragraph_format.right_indent = Pt(4 * CHAR_PITCH)

    def attachment(self, number: int | None, title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                   right: set[int], weights: Sequence[float]) -> None:
        """An 附件 on a new page: 附件N at the top left in 黑体, its title, and its table
        (header repeated on every page, numbers to the right)."""
        label = self.paragraph("附件" if number is None else f"附件{number}", "附件标识")
        label.paragraph_format.page_break_before = True
        self.paragraph()
        self.paragraph(inert(title), "公文标题")
        self.paragraph()
        table = self.doc.add_table(rows=1, cols=len(header))
        table._tbl.tblStyle_val = self.ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        cells = [[inert(value) for value in values] for values in rows]
        widths = column_widths(header, cells, weights, PAGE_WIDTH - LEFT - RIGHT, SIZE_TABLE)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the table grid, which LibreOffice reads; Word reads the cells'
        head_row = table.rows[0]
        wordml.repeat_header(head_row)
        for cell, text, width in zip(head_row.cells, header, widths, strict=True):
            cell.width = width
            cell.paragraphs[0]._p.style = self.ids["表头文字"]
            cell.paragraphs[0].add_run(text)
        wordml.table_rows(table, cells, widths, self.ids["表格文字"], right)

    def colophon(self, copy_to: str, printer: str | None, printed: date) -> None:
        """The 版记 at the foot of the last page: 抄送 (when any) over the 印发机关 and the
        印发日期 (a 信函 has none: `printer` None), between two rules. One paragraph in a frame
        anchored to the bottom of the text block, where the standard places it (LibreOffice does
        not keep several framed paragraphs together, so the thin rule between 抄送 and 印发 is
        left out)."""
        if not copy_to and printer is None:
            return
        colophon = self.paragraph("", "版记")
        layout = colophon.paragraph_format
        layout.left_indent = layout.right_indent = Pt(SIZE_PAGE)
        layout.tab_stops.add_tab_stop(PAGE_WIDTH - LEFT - RIGHT - 2 * Pt(SIZE_PAGE), WD_TAB_ALIGNMENT.RIGHT)
        if copy_to:
            copied = colophon.add_run(f"抄送：{inert(copy_to).rstrip('。')}。")
        if printer is not None:
            if copy_to:
                copied.add_break()
            colophon.add_run(f"{inert(printer)}\t{written_date(printed)}印发")
        wordml.border(colophon, "top", BLACK, 8, 1)
        wordml.border(colophon, "bottom", BLACK, 8, 1)
        wordml.bottom_frame(colophon, (PAGE_WIDTH - LEFT - RIGHT) // EMU_PER_TWIP)

    def to_bytes(self) -> bytes:
        """The file; the same document gives the same bytes (fixed times inside and in the zip)."""
        same, raw = _blank_entries()
        parts = wordml.package_parts(self.doc)
        return zip_reusing(raw, [(name, None if same.get(name) == data else data) for name, data in parts])
