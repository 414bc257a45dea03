"""Every back-office list exports to Excel with the columns it shows, its search, filters and
order, over all its pages, through the user's scope; the export is logged, and the list can be
printed."""

import io
import re

import openpyxl

from dangjian.audit.models import AuditEntry
from dangjian.members.models import Member
from dangjian.testing.factories import make_member, make_user

EXPORT = "/admin/members/member/export/"


def sheet_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    return rows[0][0], rows[2], rows[3:]


def test_the_member_list_exports_its_columns_in_scope_with_its_search(client, zone, secretary_a):
    for index in range(60):  # more than a page
        make_member(zone.branch_a1, name=f"甲党员{index:02d}")
    make_member(zone.branch_b, name="乙党员")
    client.force_login(secretary_a)
    note, headers, rows = sheet_of(client.get(EXPORT))
    assert note.startswith("党员（导出时间 ")
    page = client.get("/admin/members/member/").content.decode()
    shown = re.findall(r">([^<>]+)<", page[page.find("<thead") : page.find("</thead>")])
    shown = [
        t.strip() for t in shown if t.strip() and t.strip() not in ("全选", "arrow_circle_down", "cancel")
    ]
    assert (
        headers
        == shown
        == [
            "姓名",
            "性别",
            "公民身份号码",
            "人员类别",
            "所在党组织",
            "入党日期",
            "手机号码",
            "党籍状态",
            "在册",
        ]
    )
    names = [row[0] for row in rows]
    assert len(names) == 60 and "乙党员" not in names
    first = Member.objects.get(name=rows[0][0])
    assert rows[0][1] == "男"
    assert "*" in rows[0][2] and first.id_number not in rows[0][2]  # masked as in the list
    assert rows[0][4] == "甲一党支部"
    assert (rows[0][5].date(), rows[0][8]) == (first.joined_on, "是")
    _, _, found = sheet_of(client.get(EXPORT + "?q=甲党员0"))
    assert sorted(row[0] for row in found) == [f"甲党员0{i}" for i in range(10)]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=secretary_a).latest("pk")
    assert entry.message == "导出党员列表 10 条（xlsx）"


def test_text_that_looks_like_a_formula_is_exported_as_text(client, zone, zone_admin):
    make_member(zone.branch_a1, name="=1+1")
    client.force_login(zone_admin)
    _, _, rows = sheet_of(client.get(EXPORT))
    assert [row[0] for row in rows] == ["=1+1"]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT).content))
    assert workbook.active.cell(row=4, column=1).data_type == "s"


def test_the_list_shows_export_and_print_and_keeps_its_filters(client, zone, secretary_a):
    client.force_login(secretary_a)
    page = client.get("/admin/members/member/?sex__exact=女").content.decode()
    assert f'href="{EXPORT}?sex__exact=%E5%A5%B3"' in page
    assert 'id="print-page" data-print>打印' in page


def test_a_user_without_the_list_may_not_export_it(client, zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    client.force_login(contact)
    response = client.get(EXPORT)
    assert response.status_code in (302, 403)
    assert not response.get("Content-Type", "").startswith("application/vnd.openxmlformats")


def test_a_bad_filter_is_refused_in_chinese_without_a_file(client, zone, secretary_a):
    client.force_login(secretary_a)
    response = client.get(EXPORT + "?nonexistent__field=1", follow=True)
    assert "筛选条件无效，未导出" in response.content.decode()
