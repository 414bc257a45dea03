"""Party life through the REST API (/api/v1/): meetings with attendance, agenda and quorum, the
compliance endpoint, trainings and activities with their participants, and duty lists with their
progress and completion actions — always within the user's scope."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.partylife import services
from dangjian.partylife.models import (
    Activity,
    DutyItem,
    DutyList,
    DutyStatus,
    Meeting,
    MeetingKind,
    Training,
)
from dangjian.testing.factories import make_member, make_user

D = datetime.date
MEETINGS = "/api/v1/meetings/"
DUTY_LISTS = "/api/v1/duty-lists/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_meeting(org, theme="支部党员大会", **fields):
    return services.meeting_create(
        actor=None,
        organization=org,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=D(2025, 6, 1),
        theme=theme,
        **fields,
    )


def payload(org, **more):
    return {
        "organization": org.pk,
        "kind": "branch_general_meeting",
        "held_on": "2025-06-10",
        "theme": "选举支部委员会",
        **more,
    }


# -- meetings -----------------------------------------------------------------------------------
def test_a_meeting_is_created_with_attendance_and_its_numbers_are_computed(zone, secretary_a):
    members = [make_member(zone.branch_a1) for _ in range(5)]
    attendance = [{"member": m.pk, "present": True} for m in members[:4]]
    attendance.append({"member": members[4].pk, "present": False, "absence_reason": "病假"})
    response = api_as(secretary_a).post(
        MEETINGS,
        payload(
            zone.branch_a1,
            vote_kind="election",
            attendance=attendance,
            first_topic="学习党的二十大精神",
            agenda=["选举"],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["expected_count"], body["present_count"], body["attendance_recorded"]) == (5, 4, True)
    assert (body["resolution_valid"], body["resolution_invalid_reason"]) == (True, "")
    assert body["quorum_rule"] is not None
    assert body["agenda"][0] == {"position": 1, "title": "学习党的二十大精神", "is_first_topic": True}
    absent = next(a for a in body["attendance"] if not a["present"])
    assert (absent["member"], absent["member_name"], absent["absence_reason"]) == (
        members[4].pk,
        members[4].name,
        "病假",
    )
    assert Meeting.objects.get(pk=body["id"]).attendance.count() == 5


def test_an_election_below_four_fifths_is_created_and_marked_invalid(zone, secretary_a):
    members = [make_member(zone.branch_a1) for _ in range(5)]
    attendance = [{"member": m.pk} for m in members[:3]] + [
        {"member": m.pk, "present": False, "absence_reason": "出差"} for m in members[3:]
    ]
    response = api_as(secretary_a).post(
        MEETINGS, payload(zone.branch_a1, vote_kind="election", attendance=attendance), format="json"
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["resolution_valid"] is False
    assert body["resolution_invalid_reason"] == "实到 3 人，未达到应到 5 人的五分之四，选举无效"


def test_an_absence_without_a_reason_is_a_400_and_nothing_is_created(zone, secretary_a):
    member = make_member(zone.branch_a1, name="孙缺席")
    response = api_as(secretary_a).post(
        MEETINGS, payload(zone.branch_a1, attendance=[{"member": member.pk, "present": False}]), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"attendance": ["孙缺席请假，须填写请假原因"]}
    assert not Meeting.objects.exists()


def test_a_member_of_another_organization_in_the_attendance_is_a_400(zone, zone_admin):
    other = make_member(zone.branch_b, name="乙党员")
    response = api_as(zone_admin).post(
        MEETINGS, payload(zone.branch_a1, attendance=[{"member": other.pk}]), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"attendance": ["乙党员不是“甲一党支部”的党员"]}


def test_a_secretary_cannot_pick_a_member_outside_their_subtree(zone, secretary_a):
    other = make_member(zone.branch_b)
    response = api_as(secretary_a).post(
        MEETINGS, payload(zone.branch_a1, attendance=[{"member": other.pk}]), format="json"
    )
    assert response.status_code == 400
    assert "attendance" in response.json()
    assert not Meeting.objects.exists()


def test_a_secretary_cannot_create_a_meeting_for_another_subtree(zone, secretary_a):
    response = api_as(secretary_a).post(MEETINGS, payload(zone.branch_b), format="json")
    assert response.status_code == 400
    assert "organization" in response.json()
    assert not Meeting.objects.exists()


def test_more_present_than_expected_typed_in_is_a_400(zone, secretary_a):
    response = api_as(secretary_a).post(
        MEETINGS, payload(zone.branch_a1, expected_count=5, present_count=6), format="json"
    )
    assert response.status_code == 400
    assert response.json()["present_count"] == ["实到人数（6）不能多于应到人数（5）"]


def test_a_meeting_outside_the_scope_is_404_and_not_listed(zone, secretary_a):
    theirs = new_meeting(zone.branch_b, theme="乙支部会议")
    mine = new_meeting(zone.branch_a2, theme="甲二支部会议")
    client = api_as(secretary_a)
    assert client.get(f"{MEETINGS}{theirs.pk}/").status_code == 404
    assert client.patch(f"{MEETINGS}{theirs.pk}/", {"theme": "改"}, format="json").status_code == 404
    assert client.delete(f"{MEETINGS}{theirs.pk}/").status_code == 404
    assert Meeting.objects.get(pk=theirs.pk).theme == "乙支部会议"
    assert [row["id"] for row in client.get(MEETINGS).json()["results"]] == [mine.pk]
    assert client.get(f"{MEETINGS}{mine.pk}/").status_code == 200


def test_a_secretary_cannot_move_a_meeting_to_another_subtree(zone, secretary_a):
    mine = new_meeting(zone.branch_a1)
    response = api_as(secretary_a).patch(
        f"{MEETINGS}{mine.pk}/", {"organization": zone.branch_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert Meeting.objects.get(pk=mine.pk).organization == zone.branch_a1


def test_changing_the_numbers_through_the_api_checks_the_quorum_again(zone, secretary_a):
    mine = new_meeting(zone.branch_a1, vote_kind="vote", expected_count=10, present_count=5)
    response = api_as(secretary_a).patch(f"{MEETINGS}{mine.pk}/", {"present_count": 6}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert (response.json()["resolution_valid"], response.json()["resolution_invalid_reason"]) == (True, "")


def test_the_compliance_endpoint_shows_only_the_users_subtree(zone, secretary_a):
    new_meeting(zone.branch_a1)
    client = api_as(secretary_a)
    body = client.get(f"{MEETINGS}compliance/", {"year": 2025}).json()
    assert {r["organization_name"] for r in body["requirements"]} == {
        "甲一党支部",
        "甲一第1党小组",
        "甲二党支部",
    }
    general = next(
        r
        for r in body["requirements"]
        if r["organization"] == zone.branch_a1.pk and r["kind"] == "branch_general_meeting"
    )
    assert (general["required"], general["held"]) == (4, 1)
    assert general["overdue"] == ["2025年第1季度", "2025年第3季度", "2025年第4季度"]
    outside = client.get(f"{MEETINGS}compliance/", {"year": 2025, "organization": zone.branch_b.pk}).json()
    assert outside["requirements"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "二〇二五"}, "year"),
        ({"year": 0}, "year"),
        ({"year": 2025, "organization": "甲一"}, "organization"),
    ],
)
def test_the_compliance_endpoint_answers_a_bad_query_with_a_400(zone, secretary_a, query, field):
    response = api_as(secretary_a).get(f"{MEETINGS}compliance/", query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


# -- trainings and activities ---------------------------------------------------------------------
def test_training_participants_give_the_attendance_when_it_is_not_given(zone, secretary_a):
    members = [make_member(zone.branch_a1) for _ in range(3)]
    response = api_as(secretary_a).post(
        "/api/v1/trainings/",
        {
            "name": "党务干部培训",
            "kind": "special_class",
            "organization": zone.branch_a1.pk,
            "start_on": "2025-05-10",
            "participants": [{"member": m.pk, "hours": "4.5"} for m in members],
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    training = Training.objects.get()
    assert training.attendance_count == 3
    assert [p.hours for p in training.participants.all()] == [Decimal("4.5")] * 3


def test_community_service_records_each_members_place_and_work(zone, secretary_a):
    member = make_member(zone.branch_a1)
    response = api_as(secretary_a).post(
        "/api/v1/activities/",
        {
            "name": "在职党员进社区",
            "kind": "community_service",
            "organization": zone.branch_a1.pk,
            "held_on": "2025-05-10",
            "enterprises": [zone.enterprise_a.pk],
            "participants": [
                {"member": member.pk, "place": "商州区东街社区", "content": "清理楼道", "hours": "2"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    activity = Activity.objects.get()
    row = activity.participants.get()
    assert (row.member, row.place, row.content) == (member, "商州区东街社区", "清理楼道")
    assert list(activity.enterprises.all()) == [zone.enterprise_a]


def test_an_activity_participant_from_another_organization_is_a_400(zone, zone_admin):
    other = make_member(zone.branch_b, name="乙党员")
    response = api_as(zone_admin).post(
        "/api/v1/activities/",
        {
            "name": "进社区",
            "kind": "community_service",
            "organization": zone.branch_a1.pk,
            "held_on": "2025-05-10",
            "participants": [{"member": other.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"participants": ["乙党员不是“甲一党支部”的党员"]}
    assert not Activity.objects.exists()


# -- duty lists ---------------------------------------------------------------------------------
@pytest.fixture
def duty_lists(zone):
    items = [
        {"title": "落实三会一课", "deadline": D(2026, 12, 31)},
        {"title": "领办实事", "deadline": D(2025, 1, 31), "led_by_secretary": True},
    ]
    mine = services.duty_list_create(
        actor=None, organization=zone.branch_a1, year=2026, title="清单", items=items
    )
    theirs = services.duty_list_create(
        actor=None, organization=zone.branch_b, year=2026, title="清单", items=items
    )
    return mine, theirs


def item_url(duty_list, item, action):
    return f"{DUTY_LISTS}{duty_list.pk}/items/{item.pk}/{action}/"


def test_a_duty_list_shows_its_completion_and_overdue_items(zone, secretary_a, duty_lists):
    mine, _ = duty_lists
    body = api_as(secretary_a).get(f"{DUTY_LISTS}{mine.pk}/").json()
    assert body["completion"] == {"done": 0, "total": 2, "overdue": 1}
    states = {item["title"]: (item["state"], item["led_by_secretary"]) for item in body["items"]}
    assert states == {"落实三会一课": ("未开始", False), "领办实事": ("逾期", True)}


def test_a_progress_note_moves_the_item_to_in_progress(zone, secretary_a, duty_lists):
    mine, _ = duty_lists
    item = mine.items.get(title="落实三会一课")
    response = api_as(secretary_a).post(
        item_url(mine, item, "progress"), {"text": "已制定计划"}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    assert (response.json()["status"], response.json()["state"]) == ("in_progress", "进行中")
    assert item.progress.get().text == "已制定计划"


def test_an_empty_progress_note_is_a_400(zone, secretary_a, duty_lists):
    mine, _ = duty_lists
    item = mine.items.first()
    response = api_as(secretary_a).post(item_url(mine, item, "progress"), {"text": ""}, format="json")
    assert response.status_code == 400
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.NOT_STARTED


def test_completing_an_item_records_the_date_and_counts_it_done(zone, secretary_a, duty_lists):
    mine, _ = duty_lists
    item = mine.items.get(title="领办实事")
    client = api_as(secretary_a)
    response = client.post(item_url(mine, item, "complete"), {"on": "2025-02-03"}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert (response.json()["status"], response.json()["completed_on"], response.json()["state"]) == (
        "done",
        "2025-02-03",
        "已完成",
    )
    assert client.get(f"{DUTY_LISTS}{mine.pk}/").json()["completion"] == {"done": 1, "total": 2, "overdue": 0}


def test_completing_an_item_needs_a_date_not_in_the_future(zone, secretary_a, duty_lists):
    mine, _ = duty_lists
    item = mine.items.first()
    client = api_as(secretary_a)
    assert client.post(item_url(mine, item, "complete"), {}, format="json").status_code == 400
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(item_url(mine, item, "complete"), {"on": tomorrow.isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {"completed_on": ["完成日期不能晚于今天"]}
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.NOT_STARTED


def test_a_secretary_cannot_act_on_a_duty_list_outside_their_subtree(zone, secretary_a, duty_lists):
    _, theirs = duty_lists
    item = theirs.items.first()
    client = api_as(secretary_a)
    assert client.get(f"{DUTY_LISTS}{theirs.pk}/").status_code == 404
    assert client.post(item_url(theirs, item, "progress"), {"text": "越权"}, format="json").status_code == 404
    assert (
        client.post(item_url(theirs, item, "complete"), {"on": "2025-02-03"}, format="json").status_code
        == 404
    )
    assert DutyItem.objects.get(pk=item.pk).status == DutyStatus.NOT_STARTED


def test_an_item_of_another_list_is_404_under_a_list_in_scope(zone, secretary_a, duty_lists):
    mine, theirs = duty_lists
    foreign = theirs.items.first()
    response = api_as(secretary_a).post(item_url(mine, foreign, "progress"), {"text": "越权"}, format="json")
    assert response.status_code == 404
    assert DutyItem.objects.get(pk=foreign.pk).status == DutyStatus.NOT_STARTED


def test_the_zone_admin_creates_a_duty_list_with_items(zone, zone_admin):
    response = api_as(zone_admin).post(
        DUTY_LISTS,
        {
            "organization": zone.branch_b.pk,
            "year": 2026,
            "title": "书记抓党建责任清单",
            "items": [
                {"title": "领办实事", "deadline": "2026-06-30", "owner": "书记", "led_by_secretary": True}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    created = DutyList.objects.get(pk=response.json()["id"])
    assert [(i.title, i.deadline, i.led_by_secretary) for i in created.items.all()] == [
        ("领办实事", D(2026, 6, 30), True)
    ]


def test_a_secretary_cannot_create_duty_lists(zone, secretary_a):
    response = api_as(secretary_a).post(
        DUTY_LISTS, {"organization": zone.branch_a1.pk, "year": 2026, "title": "清单"}, format="json"
    )
    assert response.status_code == 403
    assert not DutyList.objects.exists()


def test_an_admin_of_a_subtree_cannot_create_a_duty_list_for_another_subtree(zone):
    committee_admin = make_user("zone_admin", organization=zone.committee_a)
    response = api_as(committee_admin).post(
        DUTY_LISTS, {"organization": zone.branch_b.pk, "year": 2026, "title": "清单"}, format="json"
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert not DutyList.objects.exists()
