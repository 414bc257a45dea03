"""The back-office ledger pages: upload → dry run (nothing written) → confirm → written; a bad
file shows every row error and writes nothing; exports are scoped and need the permission."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dangjian.organizations.models import Post
from dangjian.testing.factories import make_member, make_user

POSTS_CSV = "名称,类型,所属党组织,设立日期\n甲一示范岗,党员示范岗,甲一党支部,2020.07\n乙责任区,党员责任区,乙企业党支部,2021-01-01\n"


def table_rows(body, table_id):
    """The text of each cell of each body row of the page's table `table_id`."""
    table = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', body, re.S)
    assert table, f"no table {table_id}"
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def upload(client, name, text, filename="posts.csv"):
    return client.post(
        f"/admin/ledgers/{name}/import/",
        {"file": SimpleUploadedFile(filename, text.encode("utf-8"), content_type="text/csv")},
    )


@pytest.fixture
def admin_client(client, zone_admin):
    client.force_login(zone_admin)
    return client


def test_upload_is_a_dry_run_that_writes_nothing_and_offers_confirmation(admin_client, zone):
    response = upload(admin_client, "posts", POSTS_CSV)
    assert response.status_code == 200
    assert "将新增 2 条" in response.content.decode()
    assert "确认导入" in response.content.decode()
    assert Post.objects.count() == 0


def test_confirming_the_dry_run_imports_the_uploaded_file(admin_client, zone):
    response = upload(admin_client, "posts", POSTS_CSV)
    token = response.context["token"]
    confirmed = admin_client.post("/admin/ledgers/posts/import/", {"token": token, "confirm": "1"})
    assert "已新增 2 条" in confirmed.content.decode()
    assert set(Post.objects.values_list("name", flat=True)) == {"甲一示范岗", "乙责任区"}


def test_confirming_with_a_stale_token_imports_nothing(admin_client, zone):
    upload(admin_client, "posts", POSTS_CSV)
    response = admin_client.post("/admin/ledgers/posts/import/", {"token": "forged", "confirm": "1"})
    assert "已失效" in response.content.decode()
    assert Post.objects.count() == 0


def test_a_bad_row_is_reported_with_its_row_number_and_nothing_is_offered(admin_client, zone):
    text = POSTS_CSV + "无名岗,党员先锋岗,甲一党支部,2020-01-01\n"
    response = upload(admin_client, "posts", text)
    body = response.content.decode()
    assert table_rows(body, "import-errors") == [
        [
            "第 4 行",
            "无名岗",
            "类型",
            "“党员先锋岗”",
            "“党员先锋岗”不是可选值（党员活动室、党群服务中心、党员责任区、党员示范岗）",
        ]
    ]
    assert "确认导入" not in body
    assert Post.objects.count() == 0


def test_a_secretary_cannot_import_rows_outside_their_subtree(client, zone, secretary_a):
    client.force_login(secretary_a)
    response = upload(client, "posts", POSTS_CSV)
    body = response.content.decode()
    assert "第 3 行" in body  # 乙企业党支部 is outside 甲企业党委
    assert Post.objects.count() == 0


def test_export_is_scoped_to_the_user(client, zone, secretary_a):
    make_member(zone.branch_a1, name="甲党员")
    make_member(zone.branch_b, name="乙党员")
    client.force_login(secretary_a)
    response = client.post("/admin/ledgers/members/export/", {"format": "xlsx", "confirm_reveal": "on"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲党员"]


def test_export_needs_the_view_permission(client, zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    client.force_login(contact)
    assert client.get("/admin/ledgers/members/export/").status_code == 403
    assert client.get("/admin/ledgers/members/import/").status_code == 403


def test_exports_of_personal_data_need_the_reveal_permission(client, zone):
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    assert client.get("/admin/ledgers/members/export/").status_code == 403
    assert client.get("/admin/ledgers/enterprises/export/").status_code == 403  # contact phones
    assert client.get("/admin/ledgers/cadres/export/").status_code == 403  # phones, birth dates
    assert client.get("/admin/ledgers/organizations/export/").status_code == 200
