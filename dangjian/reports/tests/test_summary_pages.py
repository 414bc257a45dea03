"""The 年度综述 page and the templates in the back office: the zone administrator writes the zone's
summary in the background and downloads it; a secretary may choose only their own subtree; an
uploaded template with an unknown code is refused naming it and nothing is kept; a good template
is put in use and writes the summary's words; the default template downloads."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from dangjian.core.models import Job
from dangjian.reports.default_template import default_template
from dangjian.reports.models import SummaryTemplate
from dangjian.reports.tests.test_summary import edited
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture(autouse=True)
def inline(settings):
    settings.JOBS_INLINE = True


def first_paragraphs(data: bytes, count=3) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs[:count]]


def test_the_zone_administrator_writes_the_summary_in_the_background(
    client, zone, zone_admin, django_capture_on_commit_callbacks
):
    make_member(zone.branch_a1, name="党员甲")
    client.force_login(zone_admin)
    page = client.get("/admin/summary/")
    assert page.status_code == 200 and "生成综述" in text_of(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/summary/", {"year": THIS_YEAR, "scope": zone.root.pk})
    job = Job.objects.get()
    assert response.url == f"/admin/jobs/{job.pk}/"
    assert (
        job.status == Job.Status.DONE and job.output_name == f"{zone.root.name}{THIS_YEAR}年党建工作综述.docx"
    )
    download = client.get(f"/admin/jobs/{job.pk}/download/")
    data = b"".join(download.streaming_content)
    assert first_paragraphs(data, 1) == [f"{zone.root.name}{THIS_YEAR}年党建工作综述"]
    assert "最近生成的综述" in text_of(client.get("/admin/summary/"))


def test_a_secretary_may_choose_only_their_subtree(client, zone, django_capture_on_commit_callbacks):
    secretary = make_user("secretary", organization=zone.committee_a)
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/admin/summary/", {"year": THIS_YEAR, "scope": zone.branch_b.pk})
    assert refused.status_code == 200 and not Job.objects.exists()
    assert "选择一个有效的选项" in text_of(refused)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/summary/", {"year": THIS_YEAR, "scope": zone.committee_a.pk})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.params["scope"] == zone.committee_a.pk


def upload_template(client, data, name="改写的模板"):
    return client.post(
        "/admin/reports/summarytemplate/add/",
        {
            "name": name,
            "file": SimpleUploadedFile("模板.docx", data, content_type=DOCX),
            "note": "",
            "in_use": "on",
        },
    )


def test_a_template_with_an_unknown_code_is_refused_naming_it(client, zone, zone_admin):
    client.force_login(zone_admin)
    bad = edited(default_template(), "召开企业家座谈会", "召开企业家座谈会{{ activities.forumz }}")
    response = upload_template(client, bad)
    assert response.status_code == 200
    assert "activities.forumz" in text_of(response)
    assert not SummaryTemplate.objects.exists()


def test_a_good_template_is_put_in_use_and_writes_the_words(
    client, zone, zone_admin, django_capture_on_commit_callbacks
):
    client.force_login(zone_admin)
    good = edited(default_template(), "现将全年工作综述如下。", "现将全年工作报告如下。")
    response = upload_template(client, good)
    assert response.status_code == 302
    template = SummaryTemplate.objects.get()
    assert template.in_use and template.uploaded_by == zone_admin
    listing = text_of(client.get("/admin/reports/summarytemplate/"))
    assert "正在使用：改写的模板" in listing.replace(" ", "")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/summary/", {"year": THIS_YEAR, "scope": zone.root.pk})
    data = b"".join(client.get(f"/admin/jobs/{Job.objects.get().pk}/download/").streaming_content)
    assert first_paragraphs(data, 3)[2].endswith("现将全年工作报告如下。")
    downloaded = client.get(f"/admin/reports/summarytemplate/{template.pk}/download/")
    assert b"".join(downloaded.streaming_content) == good


def test_the_default_template_downloads_for_who_writes_summaries(client, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.get("/admin/reports/summarytemplate/default/")
    assert response.status_code == 200 and response.content == default_template()
    client.force_login(make_user("cadre"))
    assert client.get("/admin/reports/summarytemplate/default/").status_code == 403
