"""Statistics tables: each domain's figures for the organizations below the scope and in total,
for a year, a quarter or a month, each cell the registry's figure with its records' address; the
same columns in the Excel file; the same table, the cockpit and the summary through the API, for
the asking user's scope only."""

import calendar
import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dangjian.core.indicators import Period, all_indicators, compute
from dangjian.core.models import Job
from dangjian.reports import tables
from dangjian.reports.tests.test_cockpit import theme_day
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def records(zone):
    for n in range(3):
        make_member(zone.branch_a1, name=f"甲一党员{n}")
    make_member(zone.branch_b, name="乙党员")
    theme_day(zone.branch_a1, datetime.date(THIS_YEAR, 2, 10))
    theme_day(zone.branch_a1, datetime.date(THIS_YEAR, 5, 20))
    theme_day(zone.branch_b, datetime.date(THIS_YEAR, 5, 5))
    return zone


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def cell(table, label, code):
    row = next(r for r in table["rows"] if r["label"] == label)
    return next(c for c in row["cells"] if c["code"] == code)


def test_every_registered_figure_is_in_one_table():
    codes = [column.code for kind in tables.TABLES for column in tables.columns(kind)]
    assert sorted(codes) == sorted(indicator.code for indicator in all_indicators())
    assert len(codes) == len(set(codes))


def test_a_table_has_a_row_per_organization_below_and_the_total(records, zone_admin):
    table = tables.statistics_table("organizations", user=zone_admin, year=THIS_YEAR)
    labels = [row["label"] for row in table["rows"]]
    assert labels == ["甲企业党委", "乙企业党支部", "合计（测试高新区党工委）"]
    assert cell(table, "甲企业党委", "members.total")["value"] == 3
    assert cell(table, "合计（测试高新区党工委）", "members.total")["value"] == 4
    period = Period.year(THIS_YEAR)
    for row in table["rows"][:-1]:
        organization = next(o for o in (records.committee_a, records.branch_b) if o.name == row["label"])
        for entry in row["cells"]:
            value = compute(entry["code"], period=period, scope=organization, user=zone_admin).value
            assert entry["value"] == (
                float(value) if value is not None and not isinstance(value, int) else value
            )


@pytest.mark.parametrize(
    ("part", "start", "end", "theme_days"),
    [
        ("year", "01-01", "12-31", 3),
        ("q2", "04-01", "06-30", 2),
        ("m2", "02-01", "02-28", 1),
        ("m3", "03-01", "03-31", 0),
    ],
)
def test_a_quarter_or_a_month_counts_its_own_days(records, zone_admin, part, start, end, theme_days):
    table = tables.statistics_table("partylife", user=zone_admin, year=THIS_YEAR, part=part)
    if part == "m2":  # February's last day as the calendar has it
        end = f"02-{calendar.monthrange(THIS_YEAR, 2)[1]}"
    assert (table["start"], table["end"]) == (f"{THIS_YEAR}-{start}", f"{THIS_YEAR}-{end}")
    assert cell(table, f"合计（{records.root.name}）", "meetings.theme_days")["value"] == theme_days
    query = parse_qs(urlparse(cell(table, "甲企业党委", "meetings.theme_days")["url"]).query)
    if part.startswith("q"):
        assert query["quarter"] == [part[1:]]
    if part.startswith("m"):
        assert query["month"] == [part[1:]]


def test_a_bad_table_or_period_is_refused_in_chinese(zone_admin):
    with pytest.raises(ValidationError, match="没有这张统计报表：nope"):
        tables.statistics_table("nope", user=zone_admin, year=THIS_YEAR)
    with pytest.raises(ValidationError, match="期间应为全年、第1—4季度或1—12月，而不是“q5”"):
        tables.period_of(THIS_YEAR, "q5")


def test_a_secretarys_table_is_of_their_subtree(records):
    secretary = make_user("secretary", organization=records.committee_a)
    table = tables.statistics_table("organizations", user=secretary, year=THIS_YEAR)
    assert [row["label"] for row in table["rows"]] == ["甲一党支部", "甲二党支部", "合计（甲企业党委）"]
    assert cell(table, "合计（甲企业党委）", "members.total")["value"] == 3


def test_the_page_links_every_cell_and_exports_the_same_columns(client, records, zone_admin):
    client.force_login(zone_admin)
    page = client.get(f"/admin/statistics/?table=partylife&year={THIS_YEAR}&part=q2")
    assert page.status_code == 200
    text = text_of(page)
    assert "第2季度" in text and "主题党日次数" in text and "导出 Excel" in text and "打印" in text
    assert f"/admin/indicators/meetings.theme_days/?year={THIS_YEAR}&amp;quarter=2" in page.content.decode()
    export = client.get(f"/admin/statistics/?table=partylife&year={THIS_YEAR}&part=q2&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "党组织")
    table = tables.statistics_table("partylife", user=zone_admin, year=THIS_YEAR, part="q2")
    assert header == tables.export_headers(table)
    total = next(r for r in rows if r and str(r[0]).startswith("合计"))
    assert total[1 + [c["code"] for c in table["columns"]].index("meetings.theme_days")] == 2


def test_the_quarters_records_are_the_quarters(client, records, zone_admin):
    client.force_login(zone_admin)
    page = text_of(client.get(f"/admin/indicators/meetings.theme_days/?year={THIS_YEAR}&quarter=2"))
    assert f"主题党日{THIS_YEAR}-05-20" in page and f"主题党日{THIS_YEAR}-02-10" not in page


def test_the_tables_cockpit_and_summary_through_the_api(
    records, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_INLINE = True
    api = api_as(zone_admin)
    listing = api.get("/api/v1/reports/statistics/").json()
    assert [t["key"] for t in listing["tables"]] == [kind.key for kind in tables.TABLES]
    table = api.get(f"/api/v1/reports/statistics/organizations/?year={THIS_YEAR}").json()
    assert table == tables.statistics_table("organizations", user=zone_admin, year=THIS_YEAR)
    assert api.get("/api/v1/reports/statistics/nope/").status_code == 400
    assert api.get("/api/v1/reports/statistics/organizations/?year=abc").json() == {
        "year": "年度应为四位数字"
    }
    assert api.get("/api/v1/reports/cockpit/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/v1/reports/summary/", {"year": THIS_YEAR}, format="json")
    assert started.status_code == 202
    job = api.get(f"/api/v1/jobs/{started.json()['job']}/").json()
    assert job["status"] == "done" and job["download_url"].endswith("/download/")
    document = api.get(f"/api/v1/jobs/{started.json()['job']}/download/")
    assert document.status_code == 200 and b"".join(document.streaming_content)[:2] == b"PK"


def test_the_api_keeps_to_the_users_scope(records, django_capture_on_commit_callbacks):
    secretary = make_user("secretary", organization=records.committee_a)
    api = api_as(secretary)
    assert (
        api.get(f"/api/v1/reports/statistics/organizations/?scope={records.branch_b.pk}").status_code == 404
    )
    refused = api.post("/api/v1/reports/summary/", {"year": THIS_YEAR}, format="json")
    assert refused.status_code == 403 and "超出您的数据授权范围" in refused.json()["detail"]
    assert not Job.objects.exists()
    other = make_user("zone_admin", organization=records.root)
    job = Job.objects.create(kind="summary", title="别人的综述", user=other)
    assert api.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert api_as(make_user("cadre")).get("/api/v1/reports/statistics/").status_code == 403


@pytest.mark.parametrize("body", [1.5, [2025], "2025"])
def test_a_summary_request_that_is_not_an_object_is_a_chinese_400(records, zone_admin, body):
    refused = api_as(zone_admin).post("/api/v1/reports/summary/", body, format="json")
    assert refused.status_code == 400 and "请求体应为对象" in refused.json()["non_field_errors"][0]
    assert not Job.objects.exists()
