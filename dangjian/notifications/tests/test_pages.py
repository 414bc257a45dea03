"""A user's own messages, and only theirs: the bell with the unread count in the back office's
header, the list (newest first, 未读/已读, in Chinese), opening one (read, and on to its record),
全部标为已读, the API, and the enterprise portal's unread messages."""

import pytest
from rest_framework.test import APIClient

from dangjian.core.testing.english import english_words
from dangjian.notifications.models import Kind, Notification
from dangjian.notifications.services import notify
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
LIST = "/admin/notifications/notification/"


def tell(user, title="诉求SQ2025-0001“厂房用电增容”已分派给您办理", url="/admin/", **fields):
    return notify([user], kind=fields.pop("kind", Kind.REQUEST_ASSIGNED), title=title, url=url, **fields)[0]


@pytest.fixture
def two(zone):
    """A and B, each with back-office grants and their own messages."""
    a = make_user("secretary", organization=zone.committee_a)
    b = make_user("secretary", organization=zone.branch_b)
    tell(a, "给甲的第一条消息")
    tell(a, "给甲的第二条消息", body="甲的消息内容")
    theirs = tell(b, "给乙的私人消息", body="乙的消息内容")
    return a, b, theirs


def page(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_bell_shows_the_unread_count_on_every_back_office_page(client, two):
    a, _b, _ = two
    client.force_login(a)
    for url in ("/admin/", LIST, "/admin/members/member/"):
        html = page(client, url)
        assert 'id="notification-bell"' in html
        assert '<span id="notification-count"' in html
        assert ">2</span>" in html.split('id="notification-count"')[1][:400]
    Notification.objects.filter(recipient=a).update(read_at="2025-06-02T08:00:00+08:00")
    html = page(client, "/admin/")
    assert 'id="notification-bell"' in html and 'id="notification-count"' not in html


def test_the_bell_is_there_for_a_user_of_any_role(client, zone):
    auditor = make_user("audit_admin")
    tell(auditor, "审计提醒")
    client.force_login(auditor)
    html = page(client, "/admin/")
    assert 'title="站内消息：1 条未读"' in html


def test_the_list_shows_only_the_users_own_messages_newest_first_in_chinese(client, two):
    a, _b, _ = two
    client.force_login(a)
    html = page(client)
    assert "给乙的私人消息" not in html and "乙的消息内容" not in html
    assert html.index("给甲的第二条消息") < html.index("给甲的第一条消息")
    assert "甲的消息内容" in html
    for text in ("站内消息", "全部标为已读", "未读", "已读", "状态", "诉求分派"):
        assert text in html
    assert english_words(html, allowed={a.username}) == []


def test_the_unread_and_read_filters(client, two):
    a, _b, _ = two
    first = Notification.objects.get(title="给甲的第一条消息")
    first.read_at = "2025-06-02T08:00:00+08:00"
    first.save()
    client.force_login(a)
    unread = page(client, LIST + "?state=unread")
    assert "给甲的第二条消息" in unread and "给甲的第一条消息" not in unread
    read = page(client, LIST + "?state=read")
    assert "给甲的第一条消息" in read and "给甲的第二条消息" not in read


def test_opening_a_message_marks_it_read_and_leads_to_its_record(client, two):
    a, _b, _ = two
    message = tell(a, "打开我", url="/admin/members/member/")
    client.force_login(a)
    response = client.get(f"/notifications/{message.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/admin/members/member/"
    message.refresh_from_db()
    assert message.read_at is not None
    # the change page of a message opens it too
    assert client.get(f"{LIST}{message.pk}/change/")["Location"] == f"/notifications/{message.pk}/open/"


def test_a_message_leading_off_the_site_goes_to_the_list_instead(client, two):
    a, _b, _ = two
    message = tell(a, "外部链接", url="https://evil.example.com/")
    client.force_login(a)
    assert client.get(f"/notifications/{message.pk}/open/")["Location"] == LIST


def test_no_one_opens_reads_or_sees_anyone_elses_message(client, two):
    a, _b, theirs = two
    client.force_login(a)
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{LIST}?q=乙").content.decode().count("给乙的私人消息") == 0
    client.post(
        LIST, {"action": "mark_selected_read", "_selected_action": [theirs.pk], "index": 0}, follow=True
    )
    client.post("/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(recipient=a, read_at__isnull=True).count() == 0


def test_marking_all_read_is_a_post_and_returns_to_the_list(client, two):
    a, _b, _ = two
    client.force_login(a)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/", {"next": LIST + "?state=unread"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST + "?state=unread"
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert 'id="notification-count"' not in response.content.decode()


def test_signed_out_the_pages_lead_to_the_sign_in(client, two):
    _a, _b, theirs = two
    assert client.get(f"/notifications/{theirs.pk}/open/")["Location"].startswith("/admin/login/")
    assert client.get(LIST)["Location"].startswith("/admin/login/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


# -- the API -------------------------------------------------------------------------------------------
@pytest.fixture
def api():
    return APIClient()


def test_the_api_lists_only_the_users_own_messages(api, two):
    a, _b, theirs = two
    api.force_authenticate(a)
    data = api.get("/api/v1/notifications/").data
    assert [row["title"] for row in data["results"]] == ["给甲的第二条消息", "给甲的第一条消息"]
    assert data["results"][0]["kind_label"] == "诉求分派" and data["results"][0]["is_read"] is False
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_marks_read_counts_and_filters(api, two):
    a, b, theirs = two
    api.force_authenticate(a)
    assert api.get("/api/v1/notifications/unread-count/").data == {"unread": 2}
    first = Notification.objects.get(title="给甲的第一条消息")
    response = api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.data["is_read"] is True
    assert [r["title"] for r in api.get("/api/v1/notifications/?unread=true").data["results"]] == [
        "给甲的第二条消息"
    ]
    assert [r["title"] for r in api.get("/api/v1/notifications/?unread=false").data["results"]] == [
        "给甲的第一条消息"
    ]
    assert api.post("/api/v1/notifications/read-all/").data == {"marked": 1}
    assert api.get("/api/v1/notifications/unread-count/").data == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api.force_authenticate(b)
    assert api.get("/api/v1/notifications/unread-count/").data == {"unread": 1}


def test_the_api_needs_a_signed_in_user_and_writes_nothing_else(api, two):
    assert api.get("/api/v1/notifications/").status_code in (401, 403)
    a, _b, _ = two
    api.force_authenticate(a)
    assert api.post("/api/v1/notifications/", {"title": "伪造"}).status_code == 405
    message = Notification.objects.filter(recipient=a).first()
    assert api.delete(f"/api/v1/notifications/{message.pk}/").status_code == 405


# -- the portal ------------------------------------------------------------------------------------------
def test_the_portal_shows_the_contacts_unread_messages(client, zone):
    contact, other = make_contact(zone.enterprise_a), make_contact(zone.enterprise_a)
    tell(contact, "诉求SQ2025-0001“厂房用电增容”已办结，请确认并评价", url="/portal/")
    tell(other, "别人的消息", url="/portal/")
    read = tell(contact, "已经读过的消息", url="/portal/")
    Notification.objects.filter(pk=read.pk).update(read_at="2025-06-02T08:00:00+08:00")
    client.force_login(contact)
    html = page(client, "/portal/")
    assert "未读消息（1）" in html and "已办结，请确认并评价" in html
    assert "别人的消息" not in html and "已经读过的消息" not in html
    response = client.post("/notifications/read-all/", {"next": "/portal/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "未读消息" not in response.content.decode()
