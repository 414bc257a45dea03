"""Word documents in 公文 style (GB/T 9704 《党政机关公文格式》): A4 with the standard's margins
(top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), the title in 小标宋 二号, the body in 仿宋 三号
on a fixed 28-point line (22 lines to the page), headings in 黑体 and 楷体. The East-Asian font is
set on every style and every run — python-docx sets only the Latin one, and Chinese text would
fall back to the document default — and the font table names 宋体, 仿宋 and 楷体 as the substitutes
of the 方正 and GB2312 fonts where those are not installed. Used by the star rating's notices and
the yearly summary's default template."""

import datetime
import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

TITLE_FONT = "方正小标宋简体"  # Word shows 宋体 where it is not installed (w:altName below)
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
SUBHEADING_FALLBACK = "楷体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28)  # 22 lines to the page


def chinese_date(day: datetime.date) -> str:
    """2026年1月5日 (GB/T 9704: the year in full, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_fonts(element, east_asian: str, latin: str = LATIN_FONT):
    """The Latin and the East-Asian font of a style's or a run's properties."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def paragraph_style(document, name, *, font, size, bold=False, align=None, indent=None, base="Normal"):
    styles = document.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != base:
        style.base_style = styles[base]
    style.font.size, style.font.bold = size, bold
    set_fonts(style.element, font)
    paragraph = style.paragraph_format
    paragraph.line_spacing_rule, paragraph.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.first_line_indent = indent
    if align is not None:
        paragraph.alignment = align
    return style


def _fallback_fonts(document):
    """Name the fonts' substitutes in the font table, so Word without the 方正 or GB2312 fonts
    uses 宋体 and 仿宋."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, alternative in (
        (TITLE_FONT, TITLE_FALLBACK),
        (BODY_FONT, BODY_FALLBACK),
        (SUBHEADING_FONT, SUBHEADING_FALLBACK),
    ):
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def gongwen_document():
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    paragraph_style(document, "Normal", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph_style(document, "公文标题", font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(document, "公文正文", font=BODY_FONT, size=BODY_SIZE, indent=Pt(32))
    paragraph_style(document, "公文一级标题", font=HEADING_FONT, size=BODY_SIZE, indent=Pt(32))
    paragraph_style(document, "公文二级标题", font=SUBHEADING_FONT, size=BODY_SIZE, indent=Pt(32))
    paragraph_style(document, "公文居中", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(document, "公文落款", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table_style = paragraph_style(
        document, "公文表格", font=BODY_FONT, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    table_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _fallback_fonts(document)
    return document


def paragraph(document, text="", style="公文正文"):
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        set_fonts(run._element, east_asian(document, style))
    return paragraph


def east_asian(document, style) -> str:
    return document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))


def title(document, text):
    paragraph(document, text, "公文标题")
    paragraph(document, "", "公文居中")  # a blank line under the title


def signature(document, issuer: str, day: datetime.date | None):
    paragraph(document, "", "公文正文")
    paragraph(document, issuer, "公文落款")
    paragraph(document, chinese_date(day) if day else "", "公文落款")


def table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, values, bold in [(table.rows[0].cells, headers, True)] + [
        (table.add_row().cells, row, False) for row in rows
    ]:
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["公文表格"]
            run = paragraph.add_run("" if value is None else str(value))
            run.bold = bold
            set_fonts(run._element, HEADING_FONT if bold else BODY_FONT)
    return table


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
