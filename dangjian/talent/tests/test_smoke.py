"""The services end to end on the shared test zone: submission, confirmation, incubation flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.notifications.models import Notification
from dangjian.talent import selectors, services
from dangjian.talent.models import Innovation, InnovationKind, PlatformKind, Review, Talent
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_enterprise_submits_a_patent_that_counts_once_the_office_confirms_it(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    office = make_user("talent_staff", organization=zone.root)
    patent = f.innovation(actor=contact, enterprise=zone.enterprise_a)
    assert patent.review == Review.PENDING and patent.holder == "甲企业"
    assert Notification.objects.filter(recipient=office, kind="submission_pending").count() == 1
    assert (
        selectors.innovations_by(Innovation.objects.all(), D(2025, 12, 31), InnovationKind.PATENT).count()
        == 0
    )
    services.submission_confirm(actor=office, record=patent)
    assert (
        selectors.innovations_by(Innovation.objects.all(), D(2025, 12, 31), InnovationKind.PATENT).count()
        == 1
    )
    assert Notification.objects.filter(recipient=contact, kind="submission_confirmed").count() == 1


def test_a_talent_with_an_id_number_is_one_talent_and_the_pool_is_as_of_a_day(zone):
    t = f.talent(id_number="11010519491231002X", employer="甲企业", exit_on=D(2025, 12, 31))
    assert t.enterprise == zone.enterprise_a and t.review == Review.CONFIRMED
    with pytest.raises(ValidationError) as caught:
        f.talent("李四", id_number="11010519491231002x")
    assert "该公民身份号码已在人才库" in caught.value.message_dict["id_number"][0]
    pool = selectors.in_pool_on(Talent.objects.all(), D(2025, 12, 30))
    assert list(pool) == [t]
    assert not selectors.in_pool_on(Talent.objects.all(), D(2025, 12, 31)).exists()


def test_an_incubation_flags_its_enterprise_and_removing_the_last_clears_it(zone):
    incubator = f.platform("商洛高新区科技企业孵化器", kind=PlatformKind.INCUBATOR)
    incubation = services.incubation_save(actor=None, platform=incubator, enterprise=zone.enterprise_b)
    zone.enterprise_b.refresh_from_db()
    assert zone.enterprise_b.is_incubated
    services.incubation_delete(actor=None, incubation=incubation)
    zone.enterprise_b.refresh_from_db()
    assert not zone.enterprise_b.is_incubated


def test_universities_are_counted_once_across_cooperations(zone):
    f.innovation("共建中药研发中心", kind=InnovationKind.COOPERATION, universities="西北大学、西安交通大学")
    f.innovation("共建新材料实验室", kind=InnovationKind.COOPERATION, universities=["西北大学"])
    names = selectors.universities_by(Innovation.objects.all(), D(2025, 12, 31))
    assert sorted(names) == sorted(["西北大学", "西安交通大学"])
