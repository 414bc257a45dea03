"""Duty lists (责任清单): one a year per organization, items with deadline, owner, progress notes
and evidence; the state 未开始 / 进行中 / 已完成 / 逾期; 书记领办实事; completion; and standard lists
the zone issues to every organization of a kind in one step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.organizations.models import OrgKind
from dangjian.partylife import services
from dangjian.partylife.models import DutyItem, DutyList, DutyStatus, StandardDutyList
from dangjian.partylife.selectors import duty_completion
from dangjian.testing.factories import make_org, make_user

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
DEADLINE = D(2026, 6, 30)


def duty_list(org, *, year=2026, items=None, actor=None):
    items = (
        items if items is not None else [{"title": "落实三会一课", "deadline": DEADLINE, "owner": "张书记"}]
    )
    return services.duty_list_create(
        actor=actor, organization=org, year=year, title="书记抓党建责任清单", items=items
    )


def first_item(record) -> DutyItem:
    return record.items.order_by("id").first()


def error(excinfo, field):
    return excinfo.value.message_dict[field]


# -- lists and items ----------------------------------------------------------------------------
def test_a_duty_list_holds_items_with_deadline_owner_and_secretary_flag(zone):
    record = duty_list(
        zone.branch_a1,
        items=[
            {"title": "落实三会一课", "deadline": D(2026, 6, 30), "owner": "张书记"},
            {
                "title": "为企业解决用工难题",
                "deadline": D(2026, 9, 30),
                "owner": "张书记",
                "led_by_secretary": True,
            },
        ],
    )
    stored = DutyList.objects.get(pk=record.pk)
    assert (stored.organization, stored.year, stored.org_path) == (zone.branch_a1, 2026, zone.branch_a1.path)
    items = [(i.title, i.deadline, i.owner, i.led_by_secretary, i.status) for i in stored.items.all()]
    assert items == [
        ("落实三会一课", D(2026, 6, 30), "张书记", False, DutyStatus.NOT_STARTED),
        ("为企业解决用工难题", D(2026, 9, 30), "张书记", True, DutyStatus.NOT_STARTED),
    ]
    assert list(stored.items.filter(led_by_secretary=True).values_list("title", flat=True)) == [
        "为企业解决用工难题"
    ]


def test_an_organization_has_one_duty_list_a_year(zone):
    duty_list(zone.branch_a1)
    with pytest.raises(ValidationError) as excinfo:
        duty_list(zone.branch_a1)
    assert error(excinfo, "year") == ["“甲一党支部”2026 年已有责任清单"]
    assert duty_list(zone.branch_a1, year=2027).year == 2027
    assert DutyList.objects.filter(organization=zone.branch_a1).count() == 2


def test_an_item_without_a_title_or_deadline_is_rejected(zone):
    with pytest.raises(ValidationError) as excinfo:
        duty_list(zone.branch_a1, items=[{"title": "", "deadline": None}])
    assert {"title", "deadline"} <= set(excinfo.value.message_dict)
    assert not DutyList.objects.exists()


# -- state --------------------------------------------------------------------------------------
def test_an_item_not_started_is_not_overdue_on_its_deadline(zone):
    item = first_item(duty_list(zone.branch_a1))
    assert item.state_on(DEADLINE - ONE_DAY) == "未开始"
    assert item.state_on(DEADLINE) == "未开始"


def test_an_item_is_overdue_the_day_after_its_deadline(zone):
    item = first_item(duty_list(zone.branch_a1))
    assert item.state_on(DEADLINE + ONE_DAY) == "逾期"


def test_an_item_in_progress_becomes_overdue_the_day_after_its_deadline(zone):
    item = first_item(duty_list(zone.branch_a1))
    services.duty_item_progress(actor=None, item=item, text="已制定计划")
    item.refresh_from_db()
    assert item.state_on(DEADLINE) == "进行中"
    assert item.state_on(DEADLINE + ONE_DAY) == "逾期"


def test_a_completed_item_is_never_overdue(zone):
    item = first_item(duty_list(zone.branch_a1, items=[{"title": "甲", "deadline": D(2026, 1, 31)}]))
    services.duty_item_complete(actor=None, item=item, on=D(2026, 2, 15))  # completed late
    item.refresh_from_db()
    assert item.state_on(D(2026, 12, 31)) == "已完成"


def test_the_state_is_read_on_today(zone):
    today = timezone.localdate()
    overdue = first_item(
        duty_list(zone.branch_a1, items=[{"title": "昨天到期", "deadline": today - ONE_DAY}])
    )
    due_today = first_item(duty_list(zone.branch_a2, items=[{"title": "今天到期", "deadline": today}]))
    assert (overdue.state, due_today.state) == ("逾期", "未开始")


# -- progress, evidence, completion --------------------------------------------------------------
def test_the_first_progress_note_moves_an_item_to_in_progress(zone, zone_admin):
    item = first_item(duty_list(zone.branch_a1))
    progress = services.duty_item_progress(
        actor=zone_admin, item=item, text="  已召开动员会 ", on=D(2026, 3, 2)
    )
    item.refresh_from_db()
    assert item.status == DutyStatus.IN_PROGRESS
    assert (progress.text, progress.noted_on, progress.actor) == ("已召开动员会", D(2026, 3, 2), zone_admin)


def test_further_progress_notes_are_kept_in_order(zone):
    item = first_item(duty_list(zone.branch_a1))
    services.duty_item_progress(actor=None, item=item, text="第二次", on=D(2026, 4, 1))
    services.duty_item_progress(actor=None, item=item, text="第一次", on=D(2026, 3, 1))
    assert list(item.progress.values_list("text", flat=True)) == ["第一次", "第二次"]
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.IN_PROGRESS


def test_a_progress_note_without_a_date_is_dated_today(zone):
    item = first_item(duty_list(zone.branch_a1))
    assert services.duty_item_progress(actor=None, item=item, text="进展").noted_on == timezone.localdate()


def test_progress_on_a_completed_item_keeps_it_completed(zone):
    item = first_item(duty_list(zone.branch_a1))
    services.duty_item_complete(actor=None, item=item, on=D(2026, 3, 1))
    services.duty_item_progress(actor=None, item=item, text="补充材料")
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.DONE


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_progress_note_is_rejected(zone, text):
    item = first_item(duty_list(zone.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        services.duty_item_progress(actor=None, item=item, text=text)
    assert error(excinfo, "text") == ["请填写进展"]
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.NOT_STARTED
    assert item.progress.count() == 0


def test_completing_an_item_needs_a_date(zone):
    item = first_item(duty_list(zone.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        services.duty_item_complete(actor=None, item=item, on=None)
    assert error(excinfo, "completed_on") == ["已完成的事项须填写完成日期"]
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.NOT_STARTED


def test_an_item_cannot_be_completed_tomorrow_but_can_be_today(zone):
    item = first_item(duty_list(zone.branch_a1))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        services.duty_item_complete(actor=None, item=item, on=today + ONE_DAY)
    assert error(excinfo, "completed_on") == ["完成日期不能晚于今天"]
    services.duty_item_complete(actor=None, item=DutyItem.objects.get(pk=item.pk), on=today)
    stored = DutyItem.objects.get(pk=item.pk)
    assert (stored.status, stored.completed_on) == (DutyStatus.DONE, today)


def test_saving_an_item_as_done_needs_a_date_and_an_open_item_has_none(zone):
    record = duty_list(zone.branch_a1)
    item = first_item(record)
    with pytest.raises(ValidationError) as excinfo:
        services.duty_item_save(actor=None, duty_list=record, instance=item, status=DutyStatus.DONE)
    assert error(excinfo, "completed_on") == ["已完成的事项须填写完成日期"]
    item = first_item(record)
    with pytest.raises(ValidationError) as excinfo:
        services.duty_item_save(
            actor=None,
            duty_list=record,
            instance=item,
            status=DutyStatus.IN_PROGRESS,
            completed_on=D(2026, 1, 5),
        )
    assert error(excinfo, "completed_on") == ["事项未完成，不应有完成日期"]


def test_evidence_files_are_attached_to_an_item(zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = first_item(duty_list(zone.branch_a1))
    upload = SimpleUploadedFile("会议照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    evidence = services.duty_evidence_add(actor=None, item=item, file=upload)
    assert evidence.name == "会议照片.jpg"
    assert item.evidence.count() == 1
    assert (tmp_path / evidence.file.name).read_bytes() == b"\xff\xd8\xff"


def test_completion_counts_done_items_of_all_items(zone):
    record = duty_list(
        zone.branch_a1,
        items=[{"title": t, "deadline": DEADLINE} for t in ("甲", "乙", "丙", "丁")],
    )
    assert duty_completion(record) == (0, 4)
    items = list(record.items.order_by("id"))
    services.duty_item_complete(actor=None, item=items[0], on=D(2026, 2, 1))
    services.duty_item_progress(actor=None, item=items[1], text="进行中")
    assert duty_completion(DutyList.objects.get(pk=record.pk)) == (1, 4)


def test_a_list_without_items_has_nothing_to_complete(zone):
    assert duty_completion(duty_list(zone.branch_a1, items=[])) == (0, 0)


# -- scope --------------------------------------------------------------------------------------
def test_a_secretary_records_progress_in_their_subtree_only(zone, secretary_a):
    mine = first_item(duty_list(zone.branch_a1))
    theirs = first_item(duty_list(zone.branch_b))
    services.duty_item_progress(actor=secretary_a, item=mine, text="已推进")
    services.duty_item_complete(actor=secretary_a, item=DutyItem.objects.get(pk=mine.pk), on=D(2026, 2, 1))
    assert DutyItem.objects.get(pk=mine.pk).status == DutyStatus.DONE
    with pytest.raises(PermissionDenied):
        services.duty_item_progress(actor=secretary_a, item=theirs, text="越权")
    with pytest.raises(PermissionDenied):
        services.duty_item_complete(actor=secretary_a, item=theirs, on=D(2026, 2, 1))
    stored = DutyItem.objects.get(pk=theirs.pk)
    assert (stored.status, stored.progress.count()) == (DutyStatus.NOT_STARTED, 0)


def test_a_secretary_cannot_create_a_duty_list_outside_their_subtree(zone, secretary_a):
    with pytest.raises(PermissionDenied):
        duty_list(zone.branch_b, actor=secretary_a)
    assert not DutyList.objects.exists()


# -- standard lists -----------------------------------------------------------------------------
STANDARD_ITEMS = [
    {"title": "每季度讲一次党课", "deadline": "2026-12-31"},
    {"title": "领办一件实事", "deadline": "2026-06-30", "led_by_secretary": True, "owner": "书记"},
]


def standard(kind=OrgKind.BRANCH, items=None, year=2026):
    record = StandardDutyList(
        title="党支部书记抓党建责任清单",
        year=year,
        org_kind=kind,
        items=STANDARD_ITEMS if items is None else items,
    )
    record.full_clean()
    record.save()
    return record


def lists_by_org():
    return {d.organization.name: d for d in DutyList.objects.select_related("organization")}


def test_issuing_a_standard_list_gives_every_organization_of_the_kind_a_list(zone, zone_admin):
    template = standard()
    assert services.standard_list_issue(actor=zone_admin, standard=template) == 3
    lists = lists_by_org()
    assert set(lists) == {"甲一党支部", "甲二党支部", "乙企业党支部"}
    issued = lists["乙企业党支部"]
    assert (issued.year, issued.title, issued.standard) == (2026, "党支部书记抓党建责任清单", template)
    items = [(i.title, i.deadline, i.led_by_secretary, i.owner) for i in issued.items.order_by("deadline")]
    assert items == [
        ("领办一件实事", D(2026, 6, 30), True, "书记"),
        ("每季度讲一次党课", D(2026, 12, 31), False, ""),
    ]
    template.refresh_from_db()
    assert template.issued_at is not None


def test_organizations_of_another_kind_get_no_list(zone, zone_admin):
    make_org("联合党支部一", OrgKind.JOINT_BRANCH, zone.root)
    services.standard_list_issue(actor=zone_admin, standard=standard(OrgKind.COMMITTEE))
    assert set(lists_by_org()) == {"甲企业党委"}


def test_issuing_twice_creates_nothing_the_second_time(zone, zone_admin):
    template = standard()
    services.standard_list_issue(actor=zone_admin, standard=template)
    item = DutyItem.objects.filter(duty_list__organization=zone.branch_b).first()
    services.duty_item_progress(actor=None, item=item, text="已开始")
    assert services.standard_list_issue(actor=zone_admin, standard=template) == 0
    assert DutyList.objects.count() == 3
    assert DutyItem.objects.count() == 6
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.IN_PROGRESS


def test_an_organization_that_already_has_a_list_for_the_year_keeps_it(zone, zone_admin):
    own = duty_list(zone.branch_a1, items=[{"title": "自定事项", "deadline": DEADLINE}])
    assert services.standard_list_issue(actor=zone_admin, standard=standard()) == 2
    assert list(DutyList.objects.get(pk=own.pk).items.values_list("title", flat=True)) == ["自定事项"]
    assert DutyList.objects.get(pk=own.pk).standard is None


def test_a_list_for_another_year_does_not_stop_the_issue(zone, zone_admin):
    duty_list(zone.branch_a1, year=2025)
    assert services.standard_list_issue(actor=zone_admin, standard=standard()) == 3


def test_a_branch_dissolved_before_the_year_gets_no_list_and_one_dissolved_in_it_does(zone, zone_admin):
    make_org("去年撤销党支部", OrgKind.BRANCH, zone.root, dissolved_on=D(2025, 12, 31))
    make_org("年初撤销党支部", OrgKind.BRANCH, zone.root, dissolved_on=D(2026, 1, 1))
    services.standard_list_issue(actor=zone_admin, standard=standard())
    names = set(lists_by_org())
    assert "去年撤销党支部" not in names
    assert "年初撤销党支部" in names


def test_a_standard_list_without_items_is_not_issued(zone, zone_admin):
    template = StandardDutyList.objects.create(title="空清单", year=2026, org_kind=OrgKind.BRANCH, items=[])
    with pytest.raises(ValidationError) as excinfo:
        services.standard_list_issue(actor=zone_admin, standard=template)
    assert error(excinfo, "items") == ["标准清单没有事项"]
    assert not DutyList.objects.exists()


def test_a_standard_list_with_a_bad_deadline_is_rejected_on_save():
    with pytest.raises(ValidationError) as excinfo:
        StandardDutyList(
            title="清单", year=2026, org_kind=OrgKind.BRANCH, items=[{"title": "甲", "deadline": "六月底"}]
        ).full_clean()
    assert error(excinfo, "items") == ["第 1 项的完成时限应为日期（如 2026-06-30）"]


def test_issuing_reaches_only_the_issuers_subtree(zone):
    committee_admin = make_user("zone_admin", organization=zone.committee_a)
    assert services.standard_list_issue(actor=committee_admin, standard=standard()) == 2
    assert set(lists_by_org()) == {"甲一党支部", "甲二党支部"}


def test_a_secretary_cannot_issue_a_standard_list(zone, secretary_a):
    template = standard()
    with pytest.raises(PermissionDenied):
        services.standard_list_issue(actor=secretary_a, standard=template)
    assert not DutyList.objects.exists()
    template.refresh_from_db()
    assert template.issued_at is None
