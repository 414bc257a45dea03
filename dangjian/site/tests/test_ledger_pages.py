"""The ledger pages and their API: the import report names each error's row, record, column and
value and lists what the dry run would change; every ledger offers its blank template; exporting
full ID numbers asks first and is logged as a reveal of personal data; all of it in Chinese."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.core.ledgers import ledgers
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.english import english_words
from dangjian.core.testing.ledgers import csv_bytes, import_rows, read_export
from dangjian.members.models import Member
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织", "手机号码"]


@pytest.fixture
def admin_client(client, zone_admin):
    client.force_login(zone_admin)
    return client


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def table_rows(response, table_id):
    body = response.content.decode()
    table = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', body, re.S)
    assert table, f"no table {table_id}"
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def upload(client, name, rows, filename="台账.csv"):
    return client.post(
        f"/admin/ledgers/{name}/import/",
        {"file": SimpleUploadedFile(filename, csv_bytes(rows), content_type="text/csv")},
    )


@pytest.fixture
def zhang(zone):
    return make_member(zone.branch_a1, name="张三", phone="13800138000")


def roster_row(member, **changes):
    values = {
        "姓名": member.name,
        "公民身份号码": member.id_number,
        "人员类别": "正式党员",
        "入党日期": member.joined_on.isoformat(),
        "转正日期": member.regularized_on.isoformat(),
        "所在党组织": member.organization.name,
        "手机号码": member.phone,
        **changes,
    }
    return [values[h] for h in HEADER]


# -- errors and the dry run on the import page -------------------------------------------------
def test_each_error_is_a_row_of_row_record_column_value_and_reason(admin_client, zhang):
    rows = [
        HEADER,
        roster_row(zhang, 入党日期="2001-05-06", 转正日期="2002-05-06"),
        roster_row(zhang, 姓名="李四", 公民身份号码="61010219900506123"),
    ]
    response = upload(admin_client, "members", rows)
    assert table_rows(response, "import-errors") == [
        ["第 2 行", "张三", "入党日期", "“2001-05-06”", "入党时未满 18 周岁（出生于 1990-05-06）"],
        ["第 3 行", "李四", "公民身份号码", "“61010219900506123”", "应为 18 位，实际为 17 位"],
    ]
    assert "确认导入" not in response.content.decode()
    assert english_words(response.content.decode()) == []


def test_the_dry_run_lists_the_changed_columns_masked_and_writes_nothing(admin_client, zone, zhang):
    other = make_member(zone.branch_a1, name="王五")
    new = {"姓名": "赵六", "公民身份号码": make_id_number(datetime.date(1990, 3, 7), 123, "男")}
    rows = [
        HEADER,
        roster_row(zhang, 所在党组织="甲二党支部", 手机号码="13900139000"),
        roster_row(other),
        roster_row(other, **new, 手机号码=""),
    ]
    response = upload(admin_client, "members", rows)
    text = page_text(response)
    assert "党员花名册：将新增 1 条，将更新 1 条，未变化 1 条（试导入，未写入）" in text
    assert table_rows(response, "import-rows-updated") == [
        ["第 2 行", "张三", "所在党组织：甲一党支部 → 甲二党支部 手机号码：*******8000 → *******9000"]
    ]
    assert "将新增 1 条 第 4 行 赵六" in text and "未变化 1 条 第 3 行 王五" in text
    body = response.content.decode()
    assert "13800138000" not in body and "13900139000" not in body and zhang.id_number not in body
    assert Member.objects.get(pk=zhang.pk).organization == zone.branch_a1
    assert english_words(body) == []

    confirmed = admin_client.post(
        "/admin/ledgers/members/import/", {"token": response.context["token"], "confirm": "1"}
    )
    assert "党员花名册：已新增 1 条，已更新 1 条，未变化 1 条" in page_text(confirmed)
    assert table_rows(confirmed, "import-rows-updated") == table_rows(response, "import-rows-updated")
    assert Member.objects.get(pk=zhang.pk).organization == zone.branch_a2


# -- the blank template ------------------------------------------------------------------------
def test_the_index_and_each_import_page_offer_the_blank_template(admin_client):
    index = admin_client.get("/admin/ledgers/").content.decode()
    for ledger in ledgers():
        link = f'href="/admin/ledgers/{ledger.name}/template/">下载空白模板</a>'
        assert link in index, ledger.name
        page = admin_client.get(f"/admin/ledgers/{ledger.name}/import/")
        assert link in page.content.decode(), ledger.name
        assert english_words(page.content.decode()) == [], ledger.name
    assert english_words(index) == []


def test_the_blank_template_downloads_as_an_xlsx_with_the_headers_and_instructions(admin_client):
    response = admin_client.get("/admin/ledgers/posts/template/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert (
        "%E9%98%B5%E5%9C%B0%E4%B8%8E%E5%B2%97%E5%8C%BA-%E7%A9%BA%E7%99%BD%E6%A8%A1%E6%9D%BF.xlsx"
        in (response["Content-Disposition"])
    )  # 阵地与岗区-空白模板.xlsx
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["阵地与岗区", "填写说明"]
    assert [c.value for c in book.worksheets[0][1]] == ["名称", "类型", "所属党组织", "设立日期", "撤销日期"]


def test_the_template_is_for_those_who_may_import(client, zone):
    client.force_login(make_user("leader", organization=zone.root))
    assert client.get("/admin/ledgers/members/template/").status_code == 403
    index = client.get("/admin/ledgers/").content.decode()
    assert "下载空白模板" not in index


# -- exporting full ID numbers -----------------------------------------------------------------
def reveals():
    return AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL)


def test_exporting_the_roster_first_says_what_it_exports_and_asks(admin_client, zhang):
    response = admin_client.get("/admin/ledgers/members/export/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    text = page_text(response)
    assert "将导出您数据范围内的党员花名册 1 条记录。" in text
    assert "文件含完整的公民身份号码和手机号码（个人敏感信息），不做脱敏。" in text
    assert "导出将作为“查看个人敏感信息”记入审计日志" in text
    assert "确认导出完整的公民身份号码和手机号码" in text
    assert zhang.id_number not in response.content.decode()
    assert response.context["form"]["format"].value() == "csv"
    assert not reveals().exists() and not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    assert english_words(response.content.decode()) == []


def test_exporting_without_ticking_the_confirmation_exports_nothing(admin_client, zhang):
    response = admin_client.post("/admin/ledgers/members/export/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("text/html")
    assert "请勾选“确认导出完整的公民身份号码和手机号码”后再导出" in page_text(response)
    assert zhang.id_number not in response.content.decode()
    assert not reveals().exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_confirmed_export_has_full_numbers_and_is_logged_as_a_reveal(
    admin_client, zone_admin, zhang, fmt
):
    response = admin_client.post("/admin/ledgers/members/export/", {"format": fmt, "confirm_reveal": "on"})
    assert response.status_code == 200 and not response["Content-Type"].startswith("text/html")
    rows = read_export(response.content, fmt)
    assert (rows[1][0], rows[1][3], rows[1][12]) == ("张三", zhang.id_number, "13800138000")
    reveal = reveals().get()
    assert (reveal.actor, reveal.source) == (zone_admin, AuditEntry.Source.WEB)
    assert reveal.message == "查看完整公民身份号码、手机号码：导出党员花名册 1 条（导出前已确认）"


def test_a_ledger_without_full_id_numbers_exports_at_once(admin_client, zone):
    response = admin_client.get("/admin/ledgers/posts/export/")
    assert response["Content-Type"] == XLSX
    assert not reveals().exists()


def test_the_index_says_which_exports_ask_first(admin_client):
    index = page_text(admin_client.get("/admin/ledgers/"))
    assert (
        "党员花名册 members 导入 下载空白模板 导出 Excel 导出 CSV 含完整公民身份号码和手机号码，导出前须确认"
        in index
    )
    assert (
        "发展党员 development 导入 下载空白模板 导出 Excel 导出 CSV 含完整公民身份号码，导出前须确认" in index
    )


# -- the API and the command -------------------------------------------------------------------
def test_the_api_export_of_full_id_numbers_needs_confirm_reveal(zone_admin, zhang):
    api = api_as(zone_admin)
    refused = api.get("/api/v1/ledgers/members/export/?format=csv")
    assert refused.status_code == 400
    assert refused.json()["confirm_reveal"] == [
        "导出的党员花名册含完整的公民身份号码和手机号码（个人敏感信息），须确认后才能导出；"
        "导出将作为“查看个人敏感信息”记入审计日志（请求时加 confirm_reveal=1）"
    ]
    assert not reveals().exists()
    response = api.get("/api/v1/ledgers/members/export/?format=csv&confirm_reveal=1")
    assert response.status_code == 200
    assert read_export(response.content, "csv")[1][3] == zhang.id_number
    assert reveals().get().source == AuditEntry.Source.API


def test_the_api_lists_what_an_export_reveals_and_serves_the_template(zone_admin):
    api = api_as(zone_admin)
    listed = {lg["name"]: lg for lg in api.get("/api/v1/ledgers/").json()}
    assert listed["members"]["reveals"] == ["公民身份号码", "手机号码"] and listed["posts"]["reveals"] == []
    assert (
        listed["posts"]["columns"][1]["accepts"] == "可选：党员活动室、党群服务中心、党员责任区、党员示范岗"
    )
    response = api.get("/api/v1/ledgers/posts/template/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["阵地与岗区", "填写说明"]


def test_the_api_dry_run_reports_rows_changes_and_error_parts(zone_admin, zhang):
    api = api_as(zone_admin)
    rows = [HEADER, roster_row(zhang, 手机号码="13900139000")]
    upload_file = SimpleUploadedFile("a.csv", csv_bytes(rows), content_type="text/csv")
    report = api.post("/api/v1/ledgers/members/import/", {"file": upload_file, "dry_run": True}).json()
    assert report["rows"] == [
        {
            "row": 2,
            "status": "updated",
            "record": "张三",
            "changes": [{"column": "手机号码", "old": "*******8000", "new": "*******9000"}],
            "note": "",
        }
    ]
    bad = SimpleUploadedFile(
        "a.csv", csv_bytes([HEADER, roster_row(zhang, 手机号码="12345")]), content_type="text/csv"
    )
    refused = api.post("/api/v1/ledgers/members/import/", {"file": bad, "dry_run": True}).json()
    assert refused["error_details"] == [
        {
            "row": 2,
            "record": "张三",
            "column": "手机号码",
            "value": "12345",
            "reason": "应为 11 位大陆手机号码",
        }
    ]
    assert refused["errors"] == ["第 2 行 手机号码：应为 11 位大陆手机号码；记录：张三；填写值：“12345”"]


def test_the_export_command_writes_full_id_numbers_only_with_reveal(tmp_path, zhang):
    path = tmp_path / "花名册.xlsx"
    call_command("export_ledger", "members", str(path), stdout=io.StringIO())
    assert read_export(path.read_bytes())[1][3] == "*" * 14 + zhang.id_number[-4:]
    assert not reveals().exists()
    call_command("export_ledger", "members", str(path), "--confirm-reveal", stdout=io.StringIO())
    assert read_export(path.read_bytes())[1][3] == zhang.id_number
    assert reveals().get().source == AuditEntry.Source.COMMAND


def test_importing_a_confirmed_export_back_changes_nothing(admin_client, zhang):
    exported = admin_client.post("/admin/ledgers/members/export/", {"format": "xlsx", "confirm_reveal": "on"})
    report = import_rows("members", read_export(exported.content))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


# -- the dry run's upload waits apart and not for long ---------------------------------------------
def pending_files(settings):
    from pathlib import Path

    from dangjian.site.views import pending_storage

    on_disk = sorted(p.name for p in Path(settings.LEDGER_PENDING_DIR).glob("*"))
    try:
        stored = sorted(pending_storage().listdir("")[1])
    except FileNotFoundError:
        stored = []
    assert stored == on_disk  # the storage is the configured folder
    return stored


def test_a_dry_run_upload_waits_outside_the_media_and_is_deleted_when_confirmed(
    admin_client, zhang, settings
):
    response = upload(admin_client, "members", [HEADER, roster_row(zhang)])
    token = response.context["token"]
    assert pending_files(settings) == [token]
    assert not str(settings.LEDGER_PENDING_DIR).startswith(str(settings.MEDIA_ROOT))
    admin_client.post("/admin/ledgers/members/import/", {"token": token, "confirm": "1"})
    assert pending_files(settings) == []


def test_a_waiting_file_is_readable_by_the_service_s_user_only(admin_client, zhang, settings):
    import stat
    from pathlib import Path

    token = upload(admin_client, "members", [HEADER, roster_row(zhang)]).context["token"]
    stored = Path(settings.LEDGER_PENDING_DIR) / token
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) & 0o077 == 0


def test_the_confirmation_reads_the_upload_through_the_shared_storage(admin_client, zhang, settings):
    """Several web machines: the confirmation may come to a machine that did not take the upload;
    the file is found through the storage (a shared mount), not this process's memory."""
    from django.core.files.storage import storages

    token = upload(admin_client, "members", [HEADER, roster_row(zhang)]).context["token"]
    storages._storages.clear()  # as on another machine: a storage object of its own
    response = admin_client.post("/admin/ledgers/members/import/", {"token": token, "confirm": "1"})
    assert response.context["report"].ok and not response.context.get("expired")
    assert pending_files(settings) == []


def test_cancelling_or_uploading_again_deletes_the_waiting_file(admin_client, zhang, settings):
    first = upload(admin_client, "members", [HEADER, roster_row(zhang)]).context["token"]
    second = upload(admin_client, "members", [HEADER, roster_row(zhang)]).context["token"]
    assert pending_files(settings) == [second] and first != second
    response = admin_client.post(
        "/admin/ledgers/members/import/", {"token": second, "cancel": "1"}, follow=True
    )
    assert "已取消本次导入，上传的文件已删除" in page_text(response)
    assert pending_files(settings) == []
    late = admin_client.post("/admin/ledgers/members/import/", {"token": second, "confirm": "1"})
    assert late.context["expired"] is True


def test_a_waiting_file_older_than_an_hour_is_deleted(admin_client, zhang, settings):
    import time

    from dangjian.site.views import purge_stale_uploads

    token = upload(admin_client, "members", [HEADER, roster_row(zhang)]).context["token"]
    assert purge_stale_uploads(now=time.time() + 3500) == 0
    assert pending_files(settings) == [token]
    assert purge_stale_uploads(now=time.time() + 3700) == 1
    assert pending_files(settings) == []
    expired = admin_client.post("/admin/ledgers/members/import/", {"token": token, "confirm": "1"})
    assert expired.context["expired"] is True
    assert Member.objects.count() == 1
