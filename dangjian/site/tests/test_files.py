"""Uploaded files only through the scoped download view (/files/<app>.<model>/<pk>/<field>/):
signed in, within the scope of the record that holds the file, audited, with the file's Chinese
name; no public /media/ address; behind nginx an X-Accel-Redirect instead of the bytes."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.audit.models import AuditEntry
from dangjian.partylife import services as partylife
from dangjian.partylife.models import MeetingKind
from dangjian.servicedesk.tests.factories import make_contact, submit
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 minutes"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = False


def attach(org, name="会议记录.pdf", stored="minutes.pdf"):
    meeting = partylife.meeting_create(
        actor=None,
        organization=org,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=datetime.date(2025, 6, 10),
        theme="支部党员大会",
    )
    upload = SimpleUploadedFile(stored, CONTENT, content_type="application/pdf")
    return partylife.meeting_attachment_save(actor=None, meeting=meeting, file=upload, name=name)


@pytest.fixture
def in_b(zone):
    """An attachment of a meeting of 乙企业党支部 (outside 甲企业党委's subtree)."""
    return attach(zone.branch_b)


def body(response):
    return b"".join(response.streaming_content)


def test_the_files_link_is_the_scoped_view_not_the_media_url(in_b):
    assert in_b.file.url == f"/files/partylife.meetingattachment/{in_b.pk}/file/"


def test_a_user_whose_scope_reaches_the_record_downloads_it_with_its_chinese_name(client, zone, in_b):
    client.force_login(make_user("zone_admin", organization=zone.root))
    response = client.get(in_b.file.url)
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('会议记录.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response


def test_the_download_is_audited(client, zone, in_b):
    admin = make_user("zone_admin", organization=zone.root)
    client.force_login(admin)
    client.get(in_b.file.url)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EVENT, actor=admin).latest("id")
    assert entry.message == "下载文件：会议记录.pdf"
    assert entry.object_id == str(in_b.pk)


def test_a_user_outside_the_records_scope_gets_404_as_if_it_did_not_exist(client, secretary_a, in_b):
    client.force_login(secretary_a)
    response = client.get(in_b.file.url)
    assert response.status_code == 404
    assert CONTENT not in response.content
    assert not AuditEntry.objects.filter(message__startswith="下载").exists()


def test_the_same_user_downloads_a_file_of_their_own_subtree(client, zone, secretary_a):
    mine = attach(zone.branch_a1, name="支部记录")
    client.force_login(secretary_a)
    response = client.get(mine.file.url)
    assert response.status_code == 200
    # the record's name gains the stored file's extension
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('支部记录.pdf')}"


def test_a_user_without_the_view_permission_gets_404(client, zone, in_b):
    client.force_login(make_user("enterprise_contact", enterprise=zone.enterprise_b))
    assert client.get(in_b.file.url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, in_b):
    response = client.get(in_b.file.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_an_enterprise_contact_downloads_their_own_requests_file_from_the_portal(client, zone):
    contact = make_contact(zone.enterprise_a)
    upload = SimpleUploadedFile("licence.pdf", CONTENT, content_type="application/pdf")
    request = submit(zone.enterprise_a, files=[upload])
    other = submit(zone.enterprise_b, files=[SimpleUploadedFile("x.pdf", CONTENT)])
    client.force_login(contact)
    mine = request.files.get()
    page = client.get(f"/portal/{request.pk}/").content.decode()
    assert f'href="{mine.file.url}"' in page and "/media/" not in page
    assert client.get(mine.file.url).status_code == 200
    assert client.get(other.files.get().file.url).status_code == 404


def test_the_media_address_is_gone(client, zone, in_b):
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.get(f"/media/{in_b.file.name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/files/partylife.nosuchmodel/1/file/",
        "/files/nonsense/1/file/",
        "/files/partylife.meetingattachment/1/name/",  # not a file field
        "/files/accounts.user/1/password/",
        "/files/partylife.meetingattachment/999999/file/",
    ],
)
def test_an_unknown_model_field_or_record_is_404(client, zone, path):
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.get(path).status_code == 404


def test_a_file_missing_on_disk_is_404_not_a_server_error(client, zone, in_b):
    in_b.file.storage.delete(in_b.file.name)
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.get(in_b.file.url).status_code == 404


def test_behind_nginx_the_answer_is_an_internal_redirect(client, settings, zone):
    settings.MEDIA_ACCEL_REDIRECT = True
    item = attach(zone.branch_b, name="党员名册", stored="名册 2025.pdf")
    client.force_login(make_user("zone_admin", organization=zone.root))
    response = client.get(item.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(item.file.name)
    assert response["X-Accel-Redirect"].isascii() and "%E5%90%8D%E5%86%8C" in response["X-Accel-Redirect"]
    assert response.content == b""
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('党员名册.pdf')}"
    assert response["Content-Type"] == "application/pdf"


def test_a_post_is_refused(client, zone, in_b):
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.post(in_b.file.url).status_code == 405


def test_the_api_links_a_documents_file_to_the_scoped_view(client, zone):
    document = partylife.document_save(
        actor=None,
        number="甲党发〔2025〕1号",
        title="关于开展主题党日的通知",
        issued_on=datetime.date(2025, 3, 1),
        organization=zone.branch_a1,
        file=SimpleUploadedFile("通知.docx", b"PK\x03\x04 docx"),
    )
    client.force_login(make_user("zone_admin", organization=zone.root))
    row = client.get(f"/api/v1/documents/{document.pk}/").json()
    assert row["file"] == f"http://testserver/files/partylife.document/{document.pk}/file/"
    response = client.get(row["file"])
    assert body(response) == b"PK\x03\x04 docx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('通知.docx')}"


def test_the_back_office_change_page_links_the_attachment_to_the_scoped_view(client, zone, in_b):
    client.force_login(make_user("zone_admin", organization=zone.root))
    page = client.get(f"/admin/partylife/meeting/{in_b.meeting_id}/change/").content.decode()
    assert f'href="/files/partylife.meetingattachment/{in_b.pk}/file/"' in page
    assert "/media/" not in page
