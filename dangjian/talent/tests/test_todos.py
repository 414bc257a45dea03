"""人才与创新's part of 我的待办: the talent office (and the zone administrator) is shown the
talents and innovations enterprises submitted, each linking to its page in the back office,
until confirmed or returned; an enterprise contact is shown their enterprise's returned
submissions, linking to the portal, until resubmitted; nobody else sees them."""

import datetime

import pytest

from dangjian.core.registry import todos
from dangjian.talent import services
from dangjian.talent.models import InnovationKind
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

TALENTS, INNOVATIONS, RETURNED = (
    "待确认的企业提交人才",
    "待确认的企业提交专利等科技创新",
    "被退回的人才与科技创新提交",
)
TODAY = datetime.date(2026, 1, 5)


def group(user, title):
    found = [g for g in todos(user, TODAY) if g.title == title]
    return found[0] if found else None


@pytest.fixture
def people(zone):
    return {
        "office": make_user("talent_staff", organization=zone.root),
        "admin": make_user("zone_admin", organization=zone.root),
        "leader": make_user("leader", organization=zone.root),
        "contact": make_user("enterprise_contact", enterprise=zone.enterprise_a),
        "other_contact": make_user("enterprise_contact", enterprise=zone.enterprise_b),
    }


def test_the_office_is_shown_submissions_waiting_each_linking_to_its_page(zone, people):
    contact = people["contact"]
    talent = f.talent("企业人才", actor=contact, enterprise=zone.enterprise_a)
    patent = f.innovation("企业专利", actor=contact, enterprise=zone.enterprise_a)
    f.talent("区里录入人才")  # confirmed when the zone enters it
    for who in ("office", "admin"):
        g = group(people[who], TALENTS)
        assert g.total == 1, who
        (item,) = g.items
        assert item.title == "甲企业提交的人才“企业人才”，待确认"
        assert item.url == f"/admin/talent/talent/{talent.pk}/change/"
        assert g.more_url == "/admin/talent/talent/?review__exact=pending"
        (item,) = group(people[who], INNOVATIONS).items
        assert item.title == "甲企业提交的专利“企业专利”，待确认"
        assert item.url == f"/admin/talent/innovation/{patent.pk}/change/"
    for who in ("leader", "contact", "other_contact"):
        assert group(people[who], TALENTS) is None and group(people[who], INNOVATIONS) is None, who
    services.submission_confirm(actor=people["office"], record=talent)
    services.submission_return(actor=people["office"], record=patent, reason="专利号有误")
    assert group(people["office"], TALENTS) is None and group(people["office"], INNOVATIONS) is None


def test_the_contact_is_shown_their_returned_submissions_until_resubmitted(zone, people):
    contact, office = people["contact"], people["office"]
    cooperation = f.innovation(
        "共建实验室",
        kind=InnovationKind.COOPERATION,
        universities="西北大学",
        actor=contact,
        enterprise=zone.enterprise_a,
    )
    talent = f.talent("待补充人才", actor=contact, enterprise=zone.enterprise_a)
    assert group(contact, RETURNED) is None
    services.submission_return(actor=office, record=cooperation, reason="缺少合作协议")
    services.submission_return(actor=office, record=talent, reason="请补充职称")
    g = group(contact, RETURNED)
    assert g.total == 2 and g.more_url == "/portal/talent/"
    assert [i.title for i in g.items] == [
        "校地合作“共建实验室”已退回（缺少合作协议），请修改后重新提交",
        "人才“待补充人才”已退回（请补充职称），请修改后重新提交",
    ]
    assert all(i.url == "/portal/talent/" for i in g.items)
    # another enterprise's contact and the office are not shown them
    assert group(people["other_contact"], RETURNED) is None
    assert group(office, RETURNED) is None
    services.submission_resubmit(actor=contact, record=talent, title="高级工程师")
    assert group(contact, RETURNED).total == 1
    # resubmitted, it waits for the office again
    assert group(office, TALENTS).total == 1
