"""企业提交待确认 in the back office: the pending talents and innovations in the user's scope with
their pages, 确认 and 退回 (with a reason) through the services; only for users who may confirm."""

import datetime

import pytest
from django.urls import reverse

from dangjian.core import registry
from dangjian.notifications.models import Notification
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.talent import selectors, services
from dangjian.talent.models import Innovation, InnovationKind, Review
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/admin/talent/talent/review/"


@pytest.fixture
def contact(zone):
    return make_contact(zone.enterprise_a)


@pytest.fixture
def office(zone, client):
    user = make_user("talent_staff", organization=zone.root)
    client.force_login(user)
    return user


def post(client, record, action, reason=None):
    data = {"kind": "talent" if record._meta.model_name == "talent" else "innovation", "pk": record.pk}
    data["action"] = action
    if reason is not None:
        data["reason"] = reason
    return client.post(URL, data)


def patents_by(day):
    return selectors.innovations_by(Innovation.objects.all(), day, InnovationKind.PATENT).count()


def test_the_address_is_the_talent_admins():
    assert reverse("admin:talent_review") == URL


def test_the_office_sees_the_pending_submissions_with_their_pages(client, zone, contact, office):
    talent = f.talent("李青年", actor=contact, enterprise=zone.enterprise_a)
    patent = f.innovation(
        "一种中药提取装置", actor=contact, enterprise=zone.enterprise_a, patent_number="ZL1"
    )
    f.innovation("园区自己登记的专利")  # confirmed when entered: not in the queue
    returned = f.innovation("被退回的专利", actor=contact, enterprise=zone.enterprise_a)
    services.submission_return(actor=office, record=returned, reason="请补充")
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "企业提交待确认" in page
    assert f'href="{reverse("admin:talent_talent_change", args=[talent.pk])}"' in page
    assert f'href="{reverse("admin:talent_innovation_change", args=[patent.pk])}"' in page
    assert "授权日期 2025-06-01" in page and "专利号 ZL1" in page and "甲企业" in page
    assert "园区自己登记的专利" not in page and "被退回的专利" not in page
    assert [row["record"] for row in response.context["talents"]] == [talent]
    assert [row["record"] for row in response.context["innovations"]] == [patent]
    assert page.count('value="confirm"') == 2 and page.count('name="reason"') == 2


def test_confirming_a_patent_makes_it_count_and_tells_the_submitter(client, zone, contact, office):
    patent = f.innovation(
        "一种中药提取装置", actor=contact, enterprise=zone.enterprise_a, dated_on=D(2025, 12, 31)
    )
    assert patents_by(D(2025, 12, 31)) == 0
    response = post(client, patent, "confirm")
    assert response.status_code == 302 and response.url == URL
    patent.refresh_from_db()
    assert (patent.review, patent.reviewed_by) == (Review.CONFIRMED, office)
    # granted on 31 December: counted by the year's end, not before it
    assert patents_by(D(2025, 12, 31)) == 1 and patents_by(D(2025, 12, 30)) == 0
    assert Notification.objects.filter(recipient=contact, kind="submission_confirmed").count() == 1
    page = client.get(URL).content.decode()
    assert "已确认科技创新“一种中药提取装置”" in page and "没有待确认的科技成果" in page


def test_a_patent_granted_on_the_first_of_january_counts_in_that_year_only(client, zone, contact, office):
    patent = f.innovation("新年专利", actor=contact, enterprise=zone.enterprise_a, dated_on=D(2026, 1, 1))
    post(client, patent, "confirm")
    assert patents_by(D(2025, 12, 31)) == 0 and patents_by(D(2026, 1, 1)) == 1


def test_returning_needs_a_reason_and_then_tells_the_submitter_why(client, zone, contact, office):
    talent = f.talent("李青年", actor=contact, enterprise=zone.enterprise_a)
    response = post(client, talent, "return", reason="   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写退回原因" in page and "退回人才“李青年”未成功" in page
    talent.refresh_from_db()
    assert talent.review == Review.PENDING
    response = post(client, talent, "return", reason="职称证书不清晰")
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.review, talent.review_note) == (Review.RETURNED, "职称证书不清晰")
    message = Notification.objects.get(recipient=contact, kind="submission_returned")
    assert message.body == "职称证书不清晰"
    assert client.get(URL).context["talents"] == []


def test_a_resubmitted_one_is_back_in_the_queue_with_the_last_reason(client, zone, contact, office):
    patent = f.innovation("一种中药提取装置", actor=contact, enterprise=zone.enterprise_a)
    post(client, patent, "return", reason="缺少专利号")
    patent.refresh_from_db()
    services.submission_resubmit(actor=contact, record=patent, patent_number="ZL2")
    page = client.get(URL).content.decode()
    assert "一种中药提取装置" in page and "上次退回：缺少专利号" in page


def test_a_record_no_longer_pending_is_refused_in_chinese_and_unchanged(client, zone, contact, office):
    patent = f.innovation("一种中药提取装置", actor=contact, enterprise=zone.enterprise_a)
    services.submission_confirm(actor=office, record=patent)
    response = post(client, patent, "return", reason="晚了")
    assert response.status_code == 200
    assert "已确认，不是待确认的提交" in response.content.decode()
    patent.refresh_from_db()
    assert patent.review == Review.CONFIRMED


def test_bad_parameters_are_a_chinese_400(client, zone, contact, office):
    patent = f.innovation("一种中药提取装置", actor=contact, enterprise=zone.enterprise_a)
    for data, message in (
        ({"kind": "rocket", "pk": patent.pk, "action": "confirm"}, "提交的类型“rocket”不正确"),
        ({"kind": "innovation", "pk": "x1", "action": "confirm"}, "提交的记录编号“x1”不正确"),
        ({"kind": "innovation", "pk": patent.pk, "action": "delete"}, "提交的操作“delete”不正确"),
    ):
        response = client.post(URL, data)
        assert response.status_code == 400 and message in response.content.decode()
    patent.refresh_from_db()
    assert patent.review == Review.PENDING


def test_an_office_over_part_of_the_zone_sees_and_decides_only_its_part(client, zone, contact):
    other = make_contact(zone.enterprise_b)
    ours = f.innovation("甲企业的专利", actor=contact, enterprise=zone.enterprise_a)
    theirs = f.innovation("乙企业的专利", actor=other, enterprise=zone.enterprise_b)
    client.force_login(make_user("talent_staff", organization=zone.committee_a))
    response = client.get(URL)
    assert [row["record"] for row in response.context["innovations"]] == [ours]
    assert "乙企业的专利" not in response.content.decode()
    assert post(client, theirs, "confirm").status_code == 404
    theirs.refresh_from_db()
    assert theirs.review == Review.PENDING


@pytest.mark.parametrize("role", ["leader", "secretary"])
def test_users_who_may_not_confirm_get_a_chinese_403(client, zone, contact, role):
    patent = f.innovation("一种中药提取装置", actor=contact, enterprise=zone.enterprise_a)
    scope = zone.root if role == "leader" else zone.committee_a
    client.force_login(make_user(role, organization=scope))
    response = client.get(URL)
    assert (
        response.status_code == 403
        and "您没有确认企业提交的人才或科技成果的权限" in response.content.decode()
    )
    assert post(client, patent, "confirm").status_code == 403
    patent.refresh_from_db()
    assert patent.review == Review.PENDING


def test_the_zone_administrator_may_confirm(client, zone, contact):
    talent = f.talent("李青年", actor=contact, enterprise=zone.enterprise_a)
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert post(client, talent, "confirm").status_code == 302
    talent.refresh_from_db()
    assert talent.review == Review.CONFIRMED


def test_an_enterprise_contact_may_not_open_the_queue(client, zone, contact):
    client.force_login(contact)
    assert client.get(URL).status_code == 403


def test_the_sidebar_shows_the_queue_to_those_who_may_confirm(zone):
    def shown(user):
        return any(
            item.url == "admin:talent_review" and item.shown_to(user)
            for _section, items in registry.navigation()
            for item in items
        )

    assert shown(make_user("talent_staff", organization=zone.root))
    assert shown(make_user("zone_admin", organization=zone.root))
    assert not shown(make_user("leader", organization=zone.root))
    item = next(i for _s, items in registry.navigation() for i in items if i.url == "admin:talent_review")
    assert item.title == "企业提交待确认"


def test_not_signed_in_goes_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url
