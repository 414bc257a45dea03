import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from dangjian.core import documents
from dangjian.ratings import docs, services
from dangjian.ratings.tests.factories import run_to

pytestmark = pytest.mark.django_db


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _texts(document):
    return [p.text for p in document.paragraphs]


def _with_brand(zone):
    zone.branch_a1.brand = "红色引擎"
    zone.branch_a1.save()


def test_notice_lists_every_assessment_stars_first_with_the_notice_period(zone):
    _with_brand(zone)
    campaign = run_to("notice", zone, scores={zone.branch_b: 0.75})
    campaign.refresh_from_db()
    document = _open(docs.notice_document(campaign))
    texts = _texts(document)
    assert texts[0] == "关于2025年度“评星晋级·争创双强”评定结果的公示"
    # opened on Monday 3 November 2025: five working days end on Friday the 7th
    assert "公示期为2025年11月3日至2025年11月7日（5个工作日）" in "".join(texts)
    assert "非公企业党组织评星晋级标准（第1版）" in "".join(texts)
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "党组织名称", "得分", "拟评定星级", "上次星级"]
    assert rows[1:] == [
        ["1", zone.branch_a1.name, "100", "五星级", "—"],
        ["2", zone.branch_a2.name, "100", "四星级", "—"],
        ["3", zone.branch_b.name, "75.8", "三星级", "—"],
    ]
    assert len(rows) - 1 == campaign.assessments.count()
    # signed by the zone's working committee on the first day of the 公示
    assert texts[-2:] == [zone.root.name, "2025年11月3日"]


def test_notice_shows_the_last_named_stars(zone):
    services.rating_import(actor=None, organization=zone.branch_a2, year=2023, stars=3)
    campaign = run_to("notice", zone)
    rows = [[c.text for c in row.cells] for row in _open(docs.notice_document(campaign)).tables[0].rows]
    assert [r[4] for r in rows[1:]] == ["—", "三星级（2023年）", "—"]


def test_notice_before_the_notice_period_is_refused_in_chinese(zone):
    campaign = run_to("decision", zone)
    with pytest.raises(ValidationError, match="尚未开始公示"):
        docs.notice_document(campaign)


def test_naming_document_names_each_star_level_with_the_document_number(zone):
    _with_brand(zone)
    campaign = run_to("notice", zone, scores={zone.branch_b: 0.75})
    services.campaign_name(
        actor=None,
        campaign=campaign,
        on=campaign.notice_end + datetime.timedelta(days=3),
        document_number="高新党工发〔2025〕12号",
    )
    campaign.refresh_from_db()
    texts = _texts(_open(docs.naming_document(campaign)))
    assert texts[0] == "高新党工发〔2025〕12号"
    assert "关于命名2025年度五星级、四星级、三星级党组织的决定" in texts
    sections = {
        heading: texts[texts.index(heading) + 1].split("、")
        for heading in ("一、五星级党组织（1个）", "二、四星级党组织（1个）", "三、三星级党组织（1个）")
    }
    assert sections == {
        "一、五星级党组织（1个）": [zone.branch_a1.name],
        "二、四星级党组织（1个）": [zone.branch_a2.name],
        "三、三星级党组织（1个）": [zone.branch_b.name],
    }
    assert texts[-1] == "2025年11月10日"
    assert "并于2025年11月3日至2025年11月7日公示，无异议" in "".join(texts)


def test_naming_document_says_the_objections_were_answered(zone):
    campaign = run_to("notice", zone)
    objection = services.objection_add(
        actor=None,
        assessment=campaign.assessments.first(),
        received_on=campaign.notice_start,
        content="有异议",
    )
    services.objection_answer(
        actor=None,
        objection=objection,
        answered_on=campaign.notice_start,
        answer="经核实不成立",
        upheld=False,
    )
    campaign.refresh_from_db()
    services.campaign_name(actor=None, campaign=campaign, on=campaign.notice_end + datetime.timedelta(days=3))
    campaign.refresh_from_db()
    assert "期间收到异议1件，均已核实答复" in "".join(_texts(_open(docs.naming_document(campaign))))


def test_naming_document_before_naming_is_refused_in_chinese(zone):
    campaign = run_to("notice", zone)
    with pytest.raises(ValidationError, match="尚未命名"):
        docs.naming_document(campaign)


def test_documents_are_in_official_style(zone):
    campaign = run_to("named", zone)
    data = docs.naming_document(campaign)
    document = _open(data)
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == documents.BODY_FONT
    assert normal.font.size == Pt(16)
    title = document.styles["公文标题"]
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    section = document.sections[0]
    mm = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    # each run carries its East-Asian font, and the font table names the substitutes
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    font_table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert 'w:name="方正小标宋简体"' in font_table and 'w:val="宋体"' in font_table
