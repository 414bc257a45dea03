"""Each statistics page exports to Excel the table it shows, through the user's scope: 组织生活落实情况,
组织预警, 按时率 and the monthly dues ledger."""

import datetime
import io
import re

import openpyxl

from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.tests.factories import accept, category, designate, submit
from dangjian.testing.factories import make_member


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [
        list(r)
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    return rows[0][0], rows[2], rows[3:]


def page_headers(html, table_id=None):
    start = html.find(f'id="{table_id}"') if table_id else 0
    head = html[html.find("<thead", start) : html.find("</thead>", start)]
    return [t.strip() for t in re.findall(r">([^<>]+)<", head) if t.strip()]


def test_compliance_exports_the_table_it_shows_in_scope(client, zone, secretary_a):
    client.force_login(secretary_a)
    url = "/admin/partylife/meeting/compliance/?year=2025"
    html = client.get(url).content.decode()
    assert 'id="export-compliance" href="?year=2025&format=xlsx"' in html
    note, headers, rows = sheet(client.get(url + "&format=xlsx"))
    assert note.startswith("2025年 · 我的全部范围（导出时间")
    assert headers == page_headers(html, "compliance")
    assert {row[0] for row in rows} == {"甲一党支部", "甲一第1党小组", "甲二党支部"}
    theme = next(r for r in rows if r[0] == "甲一党支部" and r[1] == "主题党日")
    assert theme[2:5] == ["每月", 12, 0]
    assert theme[5].startswith("2025年1月、2025年2月")


def test_warnings_export_what_the_filter_shows(client, zone, zone_admin):
    client.force_login(zone_admin)
    html = client.get("/admin/warnings/").content.decode()
    _, headers, rows = sheet(client.get("/admin/warnings/?format=xlsx"))
    assert headers == page_headers(html) == ["党组织", "组织类别", "预警类别", "预警"]
    total = int(re.search(r"共 (\d+) 条预警", html).group(1))
    assert len(rows) == total > 0
    _, _, meetings = sheet(client.get("/admin/warnings/?group=meetings&format=xlsx"))
    assert meetings and {row[2] for row in meetings} == {"组织生活"}


def test_on_time_rates_export_each_count_in_a_column(client, zone, zone_admin):
    cadre = designate(zone.enterprise_a, make_cadre("王承办"))
    request = submit(zone.enterprise_a, on=datetime.date(2025, 3, 3), category=category("政策咨询"))
    accept(request, on=datetime.date(2025, 3, 4), handler=cadre)
    client.force_login(zone_admin)
    note, headers, rows = sheet(client.get("/admin/servicedesk/servicerequest/rates/?year=2025&format=xlsx"))
    assert note.startswith("2025年（导出时间")
    assert headers == [
        "分组",
        "类别或承办人",
        "按时受理",
        "应受理",
        "按时受理率（%）",
        "按时办结",
        "应办结",
        "按时办结率（%）",
    ]
    assert ["按类别", "政策咨询", 1, 1, 100] == rows[0][:5]
    assert any(row[:5] == ["按承办人", "王承办", 1, 1, 100] for row in rows)


def test_the_dues_ledger_exports_its_rows(client, zone, secretary_a):
    make_member(zone.branch_a1, name="交费人")
    client.force_login(secretary_a)
    url = f"/admin/members/duesassessment/ledger/?organization={zone.branch_a1.pk}&month=2025-05"
    html = client.get(url).content.decode()
    note, headers, rows = sheet(client.get(url + "&format=xlsx"))
    assert note.startswith("甲一党支部 · 2025年05月（金额单位：元）")
    assert headers == page_headers(html, "dues-ledger")
    assert rows == [["交费人", "甲一党支部", "未计算", 0, 0, 0, None]]


def test_the_development_pipeline_exports_each_case_and_a_bad_choice_is_no_error(client, zone, secretary_a):
    from dangjian.core.testing.codes import make_id_number
    from dangjian.members import services as member_services

    member_services.development_apply(
        actor=secretary_a,
        organization=zone.branch_a1,
        name="申请人乙",
        id_number=make_id_number(datetime.date(2001, 2, 3), 77, "女"),
        applied_on=datetime.date(2025, 1, 10),
    )
    client.force_login(secretary_a)
    _, headers, rows = sheet(client.get("/admin/members/developmentcase/pipeline/?format=xlsx"))
    assert headers == ["阶段", "姓名", "党组织", "下一步", "期限", "已逾期"]
    assert rows[0][:4] == ["入党申请人", "申请人乙", "甲一党支部", "谈话"]
    assert rows[0][4].date() == datetime.date(2025, 2, 10) and rows[0][5] == "是"
    assert client.get("/admin/members/developmentcase/pipeline/?organization=abc").status_code == 200
