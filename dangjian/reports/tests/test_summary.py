"""The yearly summary in Word: on the demo zone every figure of the appendix equals the registry's
and the prose states it; an edited template changes the words, not the figures; a template with an
unknown code is refused naming it; a subtree's summary holds only the subtree's figures; a user
cannot write the summary of what they may not see; the document renders to PDF in LibreOffice; the
office's ways of writing money, rates and scores at their edges."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from dangjian.core.indicators import Period, all_indicators, compute
from dangjian.organizations.models import PartyOrganization
from dangjian.reports import charts
from dangjian.reports.default_template import default_template
from dangjian.reports.figures import Figure, money_parts
from dangjian.reports.services import check_scope
from dangjian.reports.summary import check_template, summary_document, unknown_names
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db


def seed_year():
    return timezone.localdate().year - 1


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def prose_of(data: bytes) -> str:
    """The text above the appendix."""
    text = "\n".join(paragraphs(data))
    return text.split("附表  指标一览", 1)[0]


def appendix_of(data: bytes) -> dict[str, tuple[str, str, str]]:
    table = Document(io.BytesIO(data)).tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["指标代码", "名称", "数值", "单位"]
    return {code: (name, value, unit) for code, name, value, unit in rows[1:]}


def edited(template: bytes, old: str, new: str) -> bytes:
    """The template with a phrase of its words changed, as the office would in Word."""
    document = Document(io.BytesIO(template))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zone_summary(demo_zone, django_db_blocker):
    with django_db_blocker.unblock():
        return summary_document(year=seed_year())


# -- the demo zone's summary ---------------------------------------------------------------------
def test_every_registered_figure_is_in_the_appendix_with_the_registrys_value(demo_zone, zone_summary):
    appendix = appendix_of(zone_summary)
    period = Period.year(seed_year())
    assert list(appendix) == [indicator.code for indicator in all_indicators()]
    for indicator in all_indicators():
        figure = Figure(
            indicator.code, indicator.name, indicator.unit, compute(indicator.code, period=period).value
        )
        assert appendix[indicator.code] == (indicator.name, figure.shown, figure.shown_unit), indicator.code


def test_the_prose_states_every_figure_that_has_a_value(demo_zone, zone_summary):
    prose = prose_of(zone_summary)
    period = Period.year(seed_year())
    stated = 0
    for indicator in all_indicators():
        figure = Figure(
            indicator.code, indicator.name, indicator.unit, compute(indicator.code, period=period).value
        )
        if figure:
            assert figure.text in prose, (indicator.code, figure.text)
            stated += 1
    assert stated >= 50  # the demo zone has nearly every kind of record


def test_the_seed_articles_sentences_come_out_of_the_demo_zones_records(demo_zone, zone_summary):
    prose = prose_of(zone_summary)
    assert "聘任10名招商大使和9名招商顾问" in prose
    assert "成立8个招商小分队" in prose
    assert "实现招商到位资金8.82亿元" in prose
    assert "人才动态入库175名" in prose
    assert "拥有专利75个" in prose
    assert "引进11所高校" in prose


def test_the_structure_is_the_articles_in_official_style(demo_zone, zone_summary):
    document = Document(io.BytesIO(zone_summary))
    headings = [p.text for p in document.paragraphs if p.style.name == "公文一级标题"]
    assert headings == [
        "一、政治建设",
        "二、基层组织",
        "三、项目建设",
        "四、营商环境",
        "五、招商引资",
        "六、人才与创新",
        "附表  指标一览",
    ]
    title = document.paragraphs[0]
    assert title.style.name == "公文标题" and title.text.endswith(f"{seed_year()}年党建工作综述")
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    assert len(document.inline_shapes) == 5  # the five charts


def test_the_summary_renders_to_pdf_in_libreoffice(demo_zone, zone_summary, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "需要 LibreOffice（make 会安装 libreoffice-writer-nogui）"
    source = tmp_path / "综述.docx"
    source.write_bytes(zone_summary)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "综述.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 4 <= pages <= 20, pages


def test_an_edited_template_changes_the_words_and_not_the_figures(demo_zone, zone_summary):
    template = edited(default_template(), "召开企业家座谈会", "举办企业家恳谈会")
    assert template != default_template()
    data = summary_document(year=seed_year(), template=template)
    prose = prose_of(data)
    forums = compute("activities.entrepreneur_forums", period=Period.year(seed_year())).value
    assert f"举办企业家恳谈会{forums}次" in prose and "召开企业家座谈会" not in prose
    assert appendix_of(data) == appendix_of(zone_summary)


def test_a_subtrees_summary_holds_only_the_subtrees_figures(demo_zone, zone_summary):
    committee = PartyOrganization.objects.filter(depth=2, name__contains="香菊").get()
    data = summary_document(year=seed_year(), scope=committee)
    appendix = appendix_of(data)
    period = Period.year(seed_year())
    members = compute("members.total", period=period, scope=committee).value
    assert appendix["members.total"][1] == str(members)
    assert members < compute("members.total", period=period).value
    assert appendix["investment.events"][1] in ("0", "—")  # the zone's, not an organization's
    assert paragraphs(data)[0].startswith(committee.name)


def test_a_user_cannot_write_the_summary_of_what_they_may_not_see(demo_zone):
    committee = PartyOrganization.objects.filter(depth=2, name__contains="香菊").get()
    other = PartyOrganization.objects.filter(depth=2).exclude(pk=committee.pk).first()
    secretary = make_user("secretary", organization=committee)
    check_scope(secretary, committee)
    with pytest.raises(PermissionDenied, match=f"不能生成“{other.name}”的综述"):
        check_scope(secretary, other)
    with pytest.raises(PermissionDenied, match="超出您的数据授权范围"):
        check_scope(secretary, None)
    with pytest.raises(PermissionDenied, match="没有生成年度综述的权限"):
        check_scope(make_user("cadre"), committee)


def test_the_summary_command_writes_the_document(demo_zone, tmp_path):
    committee = PartyOrganization.objects.filter(depth=2, name__contains="香菊").get()
    target = tmp_path / "综述.docx"
    out = io.StringIO()
    call_command(
        "summary", "--year", str(seed_year()), "--scope", committee.name, "--output", str(target), stdout=out
    )
    assert "已生成" in out.getvalue()
    assert paragraphs(target.read_bytes())[0] == f"{committee.name}{seed_year()}年党建工作综述"


# -- templates -----------------------------------------------------------------------------------
def test_the_default_template_names_only_known_codes(db):
    check_template(default_template())


@pytest.mark.parametrize(
    ("placeholder", "named"),
    [
        ("{{ investment.eventz }}", "investment.eventz"),
        ("{% if nothing.here %}x{% endif %}", "nothing"),
        ("{{ members.total.colour }}", "members.total.colour"),
        ("{{ bogus }}", "bogus"),
    ],
)
def test_a_template_with_an_unknown_code_is_refused_naming_it(db, placeholder, named):
    template = edited(default_template(), "召开企业家座谈会", f"召开企业家座谈会{placeholder}")
    with pytest.raises(ValidationError) as refused:
        check_template(template)
    assert named in refused.value.messages[0]
    assert refused.value.messages[0].startswith("模板中有未登记的指标代码或名称：")


def test_loop_variables_and_known_names_are_not_unknown(db):
    source = "{% for f in figures %}{{ f.code }}{{ f.text }}{% endfor %}{{ year }}{{ members.total.text }}{{ charts.stars }}"
    assert unknown_names(source) == []


def test_a_template_that_is_not_word_or_not_jinja_is_refused_in_chinese(db):
    with pytest.raises(ValidationError, match="模板不是有效的 Word 文件"):
        check_template(b"not a docx")
    with pytest.raises(ValidationError, match="模板的占位符写法有误"):
        check_template(edited(default_template(), "召开企业家座谈会", "召开{% if %}"))


# -- the office's numbers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "parts"),
    [
        (Decimal("88200"), "万元", ("8.82", "亿元")),
        (Decimal("10000"), "万元", ("1", "亿元")),
        (Decimal("9999.99"), "万元", ("9999.99", "万元")),
        (Decimal("1"), "万元", ("1", "万元")),
        (Decimal("0.5"), "万元", ("5000", "元")),
        (Decimal("50000"), "元", ("5", "万元")),
        (Decimal("9999"), "元", ("9999", "元")),
        (Decimal("100000000"), "元", ("1", "亿元")),
        (Decimal("99999999"), "元", ("10000", "万元")),
    ],
)
def test_money_in_yi_or_wan_yuan_as_its_size_suggests(value, unit, parts):
    assert money_parts(value, unit) == parts


@pytest.mark.parametrize(
    ("value", "unit", "text", "truthy"),
    [
        (Decimal("70"), "%", "70.0%", True),
        (Decimal("66.66"), "%", "66.7%", True),
        (Decimal("4.5"), "分", "4.50分", True),
        (32, "场", "32场", True),
        (0, "个", "0个", False),
        (None, "个", "—", False),
    ],
)
def test_rates_to_one_decimal_and_figures_without_a_value_are_false(value, unit, text, truthy):
    figure = Figure("x.y", "名称", unit, value)
    assert (figure.text, bool(figure)) == (text, truthy)


# -- charts --------------------------------------------------------------------------------------
def test_charts_are_drawn_with_a_cjk_font(db):
    assert "CJK" in charts.cjk_font() or "wqy" in charts.cjk_font()
    png = charts.bar_chart("党员总数（各年末）", ["2024年", "2025年"], {"党员总数": [3, 5]}, "名")
    assert png.startswith(b"\x89PNG")


def test_without_a_cjk_font_no_chart_is_drawn_and_the_summary_says_why(db, settings, monkeypatch):
    settings.CJK_FONT = "/nowhere/font.ttc"
    monkeypatch.setattr(charts, "FONT_CANDIDATES", ())
    with pytest.raises(ValidationError, match="未找到中文字体"):
        charts.cjk_font()
