"""The star rating's Word documents, in 公文 style (GB/T 9704): the 公示 of the proposed stars
and the 命名文件 of a campaign. A4, the standard's margins, the title in 小标宋, the body in 仿宋
三号; the East-Asian font is set on every style and run (python-docx sets only the Latin one).

Both are documents of the whole campaign, published zone-wide: who may download them is the
page's question, not this module's."""

import datetime
import io

from django.core.exceptions import ValidationError
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from dangjian.core.calendar import workdays
from dangjian.organizations.models import PartyOrganization

from .models import STAR_CHOICES, CampaignStep, Objection, stars_label

TITLE_FONT = "方正小标宋简体"  # Word shows 宋体 where it is not installed (w:altName below)
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28)  # 22 lines to the page


def chinese_date(day: datetime.date) -> str:
    """2026年1月5日 (GB/T 9704: the year in full, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _set_fonts(element, east_asian: str, latin: str = LATIN_FONT):
    """The Latin and the East-Asian font of a style's or a run's properties."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(document, name, *, font, size, bold=False, align=None, indent=None, base="Normal"):
    styles = document.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != base:
        style.base_style = styles[base]
    style.font.size, style.font.bold = size, bold
    _set_fonts(style.element, font)
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
    for name, alternative in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK)):
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document():
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    _style(document, "Normal", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(document, "公文标题", font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(document, "公文正文", font=BODY_FONT, size=BODY_SIZE, indent=Pt(32))
    _style(document, "公文一级标题", font=HEADING_FONT, size=BODY_SIZE, indent=Pt(32))
    _style(document, "公文居中", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(document, "公文落款", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table_style = _style(
        document, "公文表格", font=BODY_FONT, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    table_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _fallback_fonts(document)
    return document


def _paragraph(document, text="", style="公文正文"):
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        _set_fonts(run._element, _east_asian(document, style))
    return paragraph


def _east_asian(document, style) -> str:
    return document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))


def _title(document, text):
    _paragraph(document, text, "公文标题")
    _paragraph(document, "", "公文居中")  # a blank line under the title


def _signature(document, issuer: str, day: datetime.date | None):
    _paragraph(document, "", "公文正文")
    _paragraph(document, issuer, "公文落款")
    _paragraph(document, chinese_date(day) if day else "", "公文落款")


def _table(document, headers, rows):
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
            _set_fonts(run._element, HEADING_FONT if bold else BODY_FONT)
    return table


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def issuer() -> str:
    """The zone's working committee, which publishes and names."""
    # zone-wide on purpose: the zone's root organization signs the zone's documents
    root = PartyOrganization.objects.filter(depth=1).order_by("path").first()
    return root.name if root else "党工委"


def _score(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def proposed(campaign):
    """The campaign's assessments as the 公示 lists them: stars down, then score down."""
    assessments = campaign.assessments.select_related("organization")
    return sorted(
        assessments,
        key=lambda a: (-(a.stars or 0), -(a.review_score or 0), a.org_path),
    )


def notice_filename(campaign) -> str:
    return f"{campaign.year}年度评星晋级评定结果公示.docx"


def naming_filename(campaign) -> str:
    return f"{campaign.year}年度星级党组织命名决定.docx"


def notice_document(campaign) -> bytes:
    """公示: the proposed stars of every organization of the campaign, the 公示期 and how to object."""
    if campaign.notice_start is None or campaign.notice_end is None:
        raise ValidationError(f"评星活动“{campaign}”尚未开始公示，不能生成公示文件")
    document = _document()
    _title(document, f"关于{campaign.year}年度“评星晋级·争创双强”评定结果的公示")
    days = len(workdays(campaign.notice_start, campaign.notice_end))
    _paragraph(
        document,
        f"根据《{campaign.rubric}》，按照{campaign.name}的安排，经各党组织自评申报、党工委评审和党工委会议"
        f"研究评定，现将拟评定星级的党组织名单予以公示。",
    )
    _paragraph(
        document,
        f"公示期为{chinese_date(campaign.notice_start)}至{chinese_date(campaign.notice_end)}（{days}个工作日）。"
        "公示期间，如对拟评定结果有异议，可以书面、电话或来访等方式向党工委反映。反映问题应实事求是、"
        "客观公正，以单位名义反映的须加盖公章，以个人名义反映的须署真实姓名并提供联系方式。"
        "党工委将对反映的问题认真核实，并予以答复。",
    )
    _paragraph(document, "拟评定结果如下：")
    rows = []
    for number, assessment in enumerate(proposed(campaign), start=1):
        previous = "—"
        if assessment.previous_stars:
            previous = f"{stars_label(assessment.previous_stars)}（{assessment.previous_year}年）"
        rows.append(
            (
                number,
                assessment.organization.name,
                _score(assessment.review_score),
                stars_label(assessment.stars),
                previous,
            )
        )
    _table(document, ["序号", "党组织名称", "得分", "拟评定星级", "上次星级"], rows)
    _signature(document, issuer(), campaign.notice_start)
    return _bytes(document)


NUMERALS = "一二三四五六七八九十"


def named_levels(campaign) -> list[tuple[int, list]]:
    """(stars, the organizations named at it) from five stars down, levels with none left out."""
    results = campaign.results.select_related("organization").order_by("-score", "org_path")
    by_stars = {stars: [] for stars, _ in STAR_CHOICES}
    for rating in results:
        by_stars[rating.stars].append(rating.organization)
    return [(stars, by_stars[stars]) for stars in sorted(by_stars, reverse=True) if by_stars[stars]]


def naming_document(campaign) -> bytes:
    """命名文件: the committee's decision naming each star level's organizations."""
    if campaign.step != CampaignStep.NAMED:
        raise ValidationError(f"评星活动“{campaign}”尚未命名，不能生成命名文件")
    levels = named_levels(campaign)
    labels = "、".join(stars_label(stars) for stars, _ in levels)
    document = _document()
    if campaign.document_number:
        _paragraph(document, campaign.document_number, "公文居中")
        _paragraph(document, "", "公文居中")
    _title(document, f"关于命名{campaign.year}年度{labels}党组织的决定")
    _paragraph(document, "各基层党组织：", "Normal")
    notice = ""
    if campaign.notice_start and campaign.notice_end:
        objections = Objection.objects.filter(assessment__campaign=campaign).count()
        heard = f"期间收到异议{objections}件，均已核实答复" if objections else "无异议"
        notice = (
            f"，并于{chinese_date(campaign.notice_start)}至{chinese_date(campaign.notice_end)}公示，{heard}"
        )
    count = sum(len(orgs) for _, orgs in levels)
    _paragraph(
        document,
        f"按照{campaign.name}的安排，依据《{campaign.rubric}》，经各党组织自评申报、党工委评审和党工委会议"
        f"研究评定{notice}，党工委决定，命名{count}个党组织为{campaign.year}年度星级党组织。名单如下：",
    )
    for number, (stars, organizations) in enumerate(levels):
        _paragraph(
            document,
            f"{NUMERALS[number]}、{stars_label(stars)}党组织（{len(organizations)}个）",
            "公文一级标题",
        )
        _paragraph(document, "、".join(o.name for o in organizations))
    _paragraph(
        document,
        "希望受到命名的党组织珍惜荣誉、再接再厉，持续发挥示范引领作用；各党组织要以先进为榜样，"
        "对标评星标准查找差距、补齐短板，推动党建工作与生产经营深度融合，争创“双强”。",
    )
    _signature(document, issuer(), campaign.named_on)
    return _bytes(document)
