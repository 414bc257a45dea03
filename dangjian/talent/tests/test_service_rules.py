"""The rules of the talent and innovation services at their edges, each refusal in Chinese and
changing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.talent import services
from dangjian.talent.models import (
    Innovation,
    InnovationKind,
    PlatformKind,
    PolicySupport,
    Review,
    Talent,
    TalentPolicy,
)
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def refused(call, field, text):
    with pytest.raises(ValidationError) as caught:
        call()
    messages = caught.value.message_dict.get(field) if hasattr(caught.value, "error_dict") else None
    assert messages and text in messages[0], caught.value
    return caught.value


def test_an_invalid_id_number_is_refused_naming_the_reason():
    refused(lambda: f.talent(id_number="110105194912310021"), "id_number", "公民身份号码校验位错误")
    assert not Talent.objects.exists()


def test_a_talent_without_an_id_number_is_one_per_name_and_employer(zone):
    f.talent("王五", employer="某研究院")
    refused(lambda: f.talent("王五", employer="某研究院"), "name", "请勿重复登记")
    assert f.talent("王五", employer="甲企业").enterprise == zone.enterprise_a
    assert Talent.objects.count() == 2


def test_exit_is_not_before_intake_nor_after_today_and_only_once():
    t = f.talent(intake_on=D(2025, 3, 1))
    refused(
        lambda: services.talent_exit(actor=None, talent=t, on=D(2025, 2, 28)),
        "on",
        "出库日期不能早于入库日期",
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(lambda: services.talent_exit(actor=None, talent=t, on=tomorrow), "on", "日期不能晚于今天")
    services.talent_exit(actor=None, talent=t, on=D(2025, 3, 1), reason="调离")
    t.refresh_from_db()
    assert (
        t.exit_on == D(2025, 3, 1)
        and not t.in_pool_on(D(2025, 3, 1))
        and t.in_pool_on(D(2025, 2, 28)) is False
    )
    refused(
        lambda: services.talent_exit(actor=None, talent=t, on=D(2025, 4, 1)), "on", "已于 2025-03-01 出库"
    )


def test_a_return_needs_a_reason_and_only_a_pending_submission_is_reviewed(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    office = make_user("talent_staff", organization=zone.root)
    t = f.talent(actor=contact, enterprise=zone.enterprise_a)
    refused(
        lambda: services.submission_return(actor=office, record=t, reason="  "), "reason", "请填写退回原因"
    )
    assert Talent.objects.get(pk=t.pk).review == Review.PENDING
    with pytest.raises(PermissionDenied):
        services.submission_confirm(actor=contact, record=t)
    services.submission_return(actor=office, record=t, reason="缺少学历证明")
    t.refresh_from_db()
    assert (t.review, t.review_note) == (Review.RETURNED, "缺少学历证明")
    with pytest.raises(ValidationError, match="不是待确认的提交"):
        services.submission_confirm(actor=office, record=t)
    # the enterprise corrects it and sends it again; it may not move it to another enterprise
    with pytest.raises(ValidationError):
        services.submission_resubmit(actor=contact, record=t, enterprise=zone.enterprise_b)
    services.submission_resubmit(actor=contact, record=Talent.objects.get(pk=t.pk), education="硕士研究生")
    t.refresh_from_db()
    assert (t.review, t.education) == (Review.PENDING, "硕士研究生")


def test_a_contact_submits_only_for_their_own_enterprise(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    with pytest.raises(PermissionDenied):
        f.talent(actor=contact, enterprise=zone.enterprise_b)
    # no enterprise would be the zone's own record: a submission names the enterprise
    refused(lambda: f.innovation(actor=contact), "enterprise", "企业提交的记录须属于本企业")
    assert not Talent.objects.exists() and not Innovation.objects.exists()


def test_support_is_paid_to_a_confirmed_talent_not_before_intake(zone):
    policy = services.policy_save(actor=None, instance=TalentPolicy(name="高层次人才安家补贴"))
    t = f.talent(intake_on=D(2025, 3, 1))
    pay = lambda **more: services.support_save(  # noqa: E731
        actor=None, talent=t, policy=policy, **{"paid_on": D(2025, 3, 1), "amount": Decimal("50000"), **more}
    )
    refused(lambda: pay(paid_on=D(2025, 2, 28)), "paid_on", "兑现日期不能早于入库日期")
    refused(lambda: pay(amount=Decimal("0")), "amount", "兑现金额应大于 0")
    assert pay().amount == Decimal("50000")
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    pending = f.talent("赵六", actor=contact, enterprise=zone.enterprise_a)
    refused(
        lambda: services.support_save(
            actor=None, talent=pending, policy=policy, paid_on=D(2025, 4, 1), amount=Decimal("1")
        ),
        "talent",
        "尚未确认入库",
    )
    assert PolicySupport.objects.count() == 1


def test_a_platform_is_withdrawn_with_a_reason_not_before_its_recognition():
    p = f.platform(recognised_on=D(2024, 5, 1))
    refused(
        lambda: services.platform_withdraw(actor=None, platform=p, on=D(2025, 1, 1), reason=""),
        "reason",
        "请填写撤销原因",
    )
    refused(
        lambda: services.platform_withdraw(actor=None, platform=p, on=D(2024, 4, 30), reason="复核未通过"),
        "on",
        "撤销日期不能早于认定日期",
    )
    services.platform_withdraw(actor=None, platform=p, on=D(2025, 1, 1), reason="复核未通过")
    p.refresh_from_db()
    assert p.withdrawn_on == D(2025, 1, 1)


def test_only_incubating_platforms_incubate_and_keep_their_kind(zone):
    research = f.platform()
    refused(
        lambda: services.incubation_save(actor=None, platform=research, enterprise=zone.enterprise_a),
        "platform",
        "不孵化企业",
    )
    incubator = f.platform("众创空间一号", kind=PlatformKind.MAKERSPACE)
    services.incubation_save(actor=None, platform=incubator, enterprise=zone.enterprise_a)
    refused(
        lambda: services.incubation_save(actor=None, platform=incubator, enterprise=zone.enterprise_a),
        "enterprise",
        "已在",
    )
    refused(
        lambda: services.platform_save(actor=None, instance=incubator, kind=PlatformKind.RESEARCH),
        "kind",
        "还有在孵企业",
    )


def test_each_kind_takes_only_its_own_fields_and_a_cooperation_names_a_university():
    refused(
        lambda: f.innovation(kind=InnovationKind.ACHIEVEMENT, patent_number="ZL1"),
        "patent_number",
        "只有专利填写专利号",
    )
    refused(
        lambda: f.innovation(kind=InnovationKind.PATENT, funding=Decimal("1")),
        "funding",
        "只有重点科技项目填写项目经费",
    )
    refused(
        lambda: f.innovation("共建实验室", kind=InnovationKind.COOPERATION),
        "universities",
        "校地合作请填写合作高校",
    )
    refused(lambda: f.innovation(universities="西北大学"), "universities", "只有校地合作填写合作高校")
    refused(
        lambda: f.innovation(
            "中药项目", kind=InnovationKind.KEY_PROJECT, dated_on=D(2025, 5, 1), ends_on=D(2025, 4, 30)
        ),
        "ends_on",
        "结题日期不能早于立项日期",
    )
    assert not Innovation.objects.exists()
    f.innovation()
    refused(lambda: f.innovation(), "name", "请勿重复登记")
    assert (
        f.innovation(kind=InnovationKind.ACHIEVEMENT).kind == InnovationKind.ACHIEVEMENT
    )  # same name, other kind


def test_a_reveal_needs_the_permission_and_is_logged(zone):
    t = f.talent(id_number="11010519491231002X", phone="13800138000")
    office = make_user("talent_staff", organization=zone.root)
    leader = make_user("leader", organization=zone.root)
    with pytest.raises(PermissionDenied):
        services.talent_reveal(actor=leader, talent=t)
    values = services.talent_reveal(actor=office, talent=t, purpose="核对补贴")
    assert values == {"id_number": "11010519491231002X", "phone": "13800138000"}
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).latest("seq")
    assert entry.object_id == str(t.pk) and "公民身份号码" in entry.message
