"""The figure pages: the table of every indicator and each figure's drill-down, which lists every
record with its part in the figure and a link to it, and both export to Excel with the columns
shown, through the user's scope."""

import datetime
import io

import openpyxl

from dangjian.audit.models import AuditEntry
from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import MeetingKind, TrainingKind
from dangjian.testing.factories import make_user

RECORDS = "/admin/indicators/meetings.compliance_rate/"


def hold(organization, kind, day):
    partylife_services.meeting_create(
        actor=None, organization=organization, kind=kind, held_on=day, theme=f"{kind}{day}"
    )


def workbook_rows(response):
    assert response.status_code == 200, response.content[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_compliance_drill_down_shows_each_organizations_part_and_links_it(client, zone, zone_admin):
    hold(zone.branch_b, MeetingKind.BRANCH_GENERAL, datetime.date(2025, 2, 1))
    client.force_login(zone_admin)
    page = client.get(RECORDS + "?year=2025").content.decode()
    assert '<th class="px-3 py-2">应开（次）</th>' in page and "已开（次）" in page
    link = f'href="/admin/organizations/partyorganization/{zone.branch_b.pk}/change/">乙企业党支部</a>'
    assert link in page
    rows = workbook_rows(client.get(RECORDS + "?year=2025&format=xlsx"))
    assert rows[0][0].startswith("2025年 · 我的全部范围（导出时间 ")
    assert rows[2] == ["序号", "记录", "应开（次）", "已开（次）", "落实率（%）"]
    body = {row[1]: row[2:] for row in rows[3:]}
    assert body["乙企业党支部"] == [8, 1, 12.5]
    assert body["甲一第1党小组"] == [12, 0, 0]
    assert sum(v[0] for v in body.values()) == 36  # the figure's 应开, as in its detail
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT,
        actor=zone_admin,
        message__startswith="导出指标“三会一课落实率”的记录",
    ).exists()


def test_a_secretary_sees_and_exports_only_their_subtree(client, zone, secretary_a):
    client.force_login(secretary_a)
    rows = workbook_rows(client.get(RECORDS + "?year=2025&format=xlsx"))
    names = [row[1] for row in rows[3:]]
    assert names == ["甲一党支部", "甲一第1党小组", "甲二党支部"]


def test_each_record_shows_its_part_and_links_to_its_page(client, zone):
    partylife_services.training_save(
        actor=None,
        organization=zone.branch_a1,
        name="党务培训",
        kind=TrainingKind.SPECIAL_CLASS,
        start_on=datetime.date(2025, 3, 1),
        attendance_count=40,
    )
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    page = client.get("/admin/indicators/trainings.attendance/?year=2025").content.decode()
    assert "党务培训" in page and "参训人次" in page and ">40<" in page
    assert leader.has_perm("partylife.view_training")
    assert "/admin/partylife/training/" in page


def test_the_indicator_table_exports_every_figure(client, zone, zone_admin):
    client.force_login(zone_admin)
    page = client.get("/admin/indicators/?year=2025").content.decode()
    assert 'id="export-indicators" href="?year=2025&format=xlsx"' in page
    rows = workbook_rows(client.get("/admin/indicators/?year=2025&format=xlsx"))
    assert rows[2] == ["代码", "指标", "数值", "单位"]
    codes = [row[0] for row in rows[3:]]
    assert codes[0] == "documents.issued" and "meetings.compliance_rate" in codes
    assert len(codes) == len(set(codes)) > 20


def test_a_record_links_only_for_a_user_who_may_open_it(zone, zone_admin):
    from dangjian.core.exports import record_url

    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    url = f"/admin/organizations/partyorganization/{zone.branch_b.pk}/change/"
    assert record_url(zone_admin, zone.branch_b) == url
    assert record_url(contact, zone.branch_b) == ""
    assert record_url(zone_admin, None) == ""
