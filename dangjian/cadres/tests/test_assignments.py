"""包抓 assignments: the cadres in charge of a project or an enterprise (the first is the lead),
with history, each carrying the grant that makes up the cadre's scope — a cadre sees only the
projects, problems and enterprises assigned to them and their own daily records; a leader sees
the records of the cadres they lead."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Grant
from dangjian.cadres import services as cadre_services
from dangjian.cadres.models import Assignment, Cadre
from dangjian.core.scope import restrict
from dangjian.enterprises.models import Enterprise
from dangjian.projects import services
from dangjian.projects.models import Approval, DailyRecord, Milestone, Problem, Project
from dangjian.projects.tests.factories import (
    ONE_DAY,
    assign,
    make_cadre,
    make_problem,
    make_project,
    today,
    user_of,
)
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


def current(target):
    kind = "project" if isinstance(target, Project) else "enterprise"
    return [
        (a.cadre.name, a.is_lead)
        for a in Assignment.objects.filter(end_on__isnull=True, **{kind: target}).order_by("-is_lead", "id")
    ]


def visible(cadre, model):
    return set(restrict(user_of(cadre), model, "view").values_list("pk", flat=True))


def record(cadre, day, content="走访项目现场", **fields):
    return services.daily_record_save(actor=cadre.user, cadre=cadre, day=day, content=content, **fields)


# -- assignment_set ---------------------------------------------------------------------------------
def test_the_first_cadre_listed_is_the_lead():
    wang, li, zhao = make_cadre("王"), make_cadre("李"), make_cadre("赵")
    project = make_project(cadres=[li, wang, zhao], on=today())
    assert current(project) == [("李", True), ("王", False), ("赵", False)]


def test_reordering_moves_the_lead_without_new_assignments():
    wang, li = make_cadre("王"), make_cadre("李")
    project = make_project(cadres=[wang, li], on=today() - ONE_DAY * 10)
    assign(project, li, wang, on=today())
    assert current(project) == [("李", True), ("王", False)]
    assert Assignment.objects.filter(project=project).count() == 2
    assert set(Assignment.objects.filter(project=project).values_list("start_on", flat=True)) == {
        today() - ONE_DAY * 10
    }


def test_a_cadre_no_longer_listed_ends_the_day_before_and_the_history_is_kept():
    wang, li, zhao = make_cadre("王"), make_cadre("李"), make_cadre("赵")
    first, change = today() - ONE_DAY * 30, today() - ONE_DAY * 5
    project = make_project(cadres=[wang, li], on=first)
    assign(project, li, zhao, on=change)

    rows = {a.cadre.name: a for a in Assignment.objects.filter(project=project)}
    assert set(rows) == {"王", "李", "赵"}
    assert (rows["王"].start_on, rows["王"].end_on, rows["王"].is_lead) == (first, change - ONE_DAY, False)
    assert (rows["李"].start_on, rows["李"].end_on, rows["李"].is_lead) == (first, None, True)
    assert (rows["赵"].start_on, rows["赵"].end_on, rows["赵"].is_lead) == (change, None, False)


def test_a_cadre_listed_again_later_gets_a_new_assignment_and_the_old_one_stays_ended():
    wang, li = make_cadre("王"), make_cadre("李")
    project = make_project(cadres=[wang], on=today() - ONE_DAY * 30)
    assign(project, li, on=today() - ONE_DAY * 20)
    assign(project, wang, li, on=today() - ONE_DAY * 10)
    spells = list(
        Assignment.objects.filter(project=project, cadre=wang)
        .order_by("id")
        .values_list("start_on", "end_on")
    )
    assert spells == [
        (today() - ONE_DAY * 30, today() - ONE_DAY * 21),
        (today() - ONE_DAY * 10, None),
    ]


def test_a_ledger_assignment_has_no_known_start_and_a_removed_one_ends_yesterday():
    wang, li = make_cadre("王"), make_cadre("李")
    project = make_project(cadres=[wang], on=None)
    assert Assignment.objects.get(project=project).start_on is None
    assign(project, li, on=None)
    ended = Assignment.objects.get(project=project, cadre=wang)
    assert (ended.start_on, ended.end_on) == (None, today() - ONE_DAY)


def test_an_empty_list_ends_every_assignment():
    wang = make_cadre("王")
    project = make_project(cadres=[wang], on=today() - ONE_DAY * 3)
    assert cadre_services.assignment_set(actor=None, project=project, cadres=[], on=today()) == []
    assert current(project) == []
    assert Assignment.objects.get(project=project).end_on == today() - ONE_DAY


def test_the_same_cadre_twice_is_refused():
    wang = make_cadre("王")
    project = make_project()
    with pytest.raises(ValidationError) as excinfo:
        cadre_services.assignment_set(actor=None, project=project, cadres=[wang, wang], on=today())
    assert excinfo.value.message_dict["cadres"] == ["包抓干部有重复"]
    assert not Assignment.objects.exists()


def test_an_assignment_is_to_a_project_or_an_enterprise_not_both_nor_neither(zone):
    wang = make_cadre("王")
    for target in ({}, {"project": make_project(), "enterprise": zone.enterprise_a}):
        with pytest.raises(ValidationError) as excinfo:
            cadre_services.assignment_set(actor=None, cadres=[wang], on=today(), **target)
        assert excinfo.value.messages == ["包抓对象应为一个项目或一家企业"]
    assert not Assignment.objects.exists()


def test_cadres_of_an_enterprise_are_set_the_same_way(zone):
    wang, li = make_cadre("王"), make_cadre("李")
    assign(zone.enterprise_a, wang, li, on=today() - ONE_DAY)
    assert current(zone.enterprise_a) == [("王", True), ("李", False)]


# -- grants -------------------------------------------------------------------------------------------
def test_each_assignment_carries_a_cadre_grant_over_its_project_from_its_start():
    wang = make_cadre("王")
    start = today() - ONE_DAY * 7
    project = make_project(cadres=[wang], on=start)
    grant = Assignment.objects.get(project=project).grant
    assert grant.user == wang.user
    assert grant.role.code == "cadre"
    assert (grant.content_type, grant.object_id) == (ContentType.objects.get_for_model(Project), project.pk)
    assert (grant.valid_from, grant.valid_until) == (start, None)


def test_a_ledger_assignment_grant_has_no_start_that_limits_it():
    wang = make_cadre("王")
    project = make_project(cadres=[wang], on=None)
    assert Assignment.objects.get(project=project).grant.valid_from == D(2000, 1, 1)


def test_an_enterprise_assignment_grants_the_enterprise(zone):
    wang = make_cadre("王")
    assign(zone.enterprise_a, wang, on=today())
    grant = Assignment.objects.get(enterprise=zone.enterprise_a).grant
    assert (grant.enterprise, grant.content_type) == (zone.enterprise_a, None)


def test_ending_an_assignment_ends_its_grant_and_the_cadre_no_longer_sees_the_project():
    wang, li = make_cadre("王"), make_cadre("李")
    project = make_project(cadres=[wang], on=today() - ONE_DAY * 30)
    assert visible(wang, Project) == {project.pk}
    assign(project, li, on=today())
    grant = Assignment.objects.get(project=project, cadre=wang).grant
    assert grant.valid_until == today() - ONE_DAY
    assert Grant.objects.filter(user=wang.user).count() == 1  # ended, not deleted
    assert visible(wang, Project) == set()
    assert visible(li, Project) == {project.pk}


# -- scope --------------------------------------------------------------------------------------------
@pytest.fixture
def world(zone):
    """王 has 项目甲 and 甲企业 and is led by `leader` (a leader of 乙企业党支部 only); 李 has 项目乙."""
    leader = make_user("leader", organization=zone.branch_b)
    wang = make_cadre("王", leader=leader)
    li = make_cadre("李")
    mine = make_project("项目甲", cadres=[wang], on=today() - ONE_DAY * 30)
    theirs = make_project("项目乙", cadres=[li], on=today() - ONE_DAY * 30)
    assign(zone.enterprise_a, wang, on=today() - ONE_DAY * 30)
    return {"leader": leader, "wang": wang, "li": li, "mine": mine, "theirs": theirs}


def test_a_cadre_sees_only_the_projects_assigned_to_them(world):
    assert visible(world["wang"], Project) == {world["mine"].pk}
    assert visible(world["li"], Project) == {world["theirs"].pk}


def test_a_cadre_sees_the_milestones_and_approvals_of_their_projects_only(world):
    for project in (world["mine"], world["theirs"]):
        services.milestone_save(actor=None, project=project, name="开工", planned_on=today())
        services.approval_save(actor=None, project=project, item="用地预审", submitted_on=today())
    assert visible(world["wang"], Milestone) == set(
        Milestone.objects.filter(project=world["mine"]).values_list("pk", flat=True)
    )
    assert visible(world["wang"], Approval) == set(
        Approval.objects.filter(project=world["mine"]).values_list("pk", flat=True)
    )


def test_a_cadre_sees_the_problems_of_their_projects_and_enterprises_and_those_they_own(world, zone):
    of_mine = make_problem(project=world["mine"])
    of_theirs = make_problem(project=world["theirs"])
    of_my_enterprise = make_problem(enterprise=zone.enterprise_a)
    of_other_enterprise = make_problem(enterprise=zone.enterprise_b)
    handed_to_me = make_problem(project=world["theirs"], owner=world["wang"])
    seen = visible(world["wang"], Problem)
    assert of_mine.pk in seen and of_my_enterprise.pk in seen and handed_to_me.pk in seen
    assert of_theirs.pk not in seen and of_other_enterprise.pk not in seen


def test_a_cadre_sees_only_the_enterprises_assigned_to_them(world, zone):
    assert visible(world["wang"], Enterprise) == {zone.enterprise_a.pk}
    assert visible(world["li"], Enterprise) == set()


def test_a_cadre_sees_their_own_daily_records_only(world):
    mine = record(world["wang"], today() - ONE_DAY, projects=[world["mine"]])
    theirs = record(world["li"], today() - ONE_DAY, projects=[world["theirs"]])
    assert visible(world["wang"], DailyRecord) == {mine.pk}
    assert visible(world["li"], DailyRecord) == {theirs.pk}


def test_a_cadre_sees_themselves_in_the_cadre_list_and_not_the_others(world):
    assert visible(world["wang"], Cadre) == {world["wang"].pk}


def test_the_leader_sees_the_daily_records_of_the_cadres_they_lead_and_not_others(world):
    led = record(world["wang"], today() - ONE_DAY, projects=[world["mine"]])
    record(world["li"], today() - ONE_DAY, projects=[world["theirs"]])
    seen = set(restrict(world["leader"], DailyRecord, "view").values_list("pk", flat=True))
    assert seen == {led.pk}
    cadres = set(restrict(world["leader"], Cadre, "view").values_list("pk", flat=True))
    assert cadres == {world["wang"].pk}


def test_a_cadre_whose_assignments_all_ended_sees_no_project_or_enterprise(world, zone):
    assign(world["mine"], world["li"], on=today())
    cadre_services.assignment_set(actor=None, enterprise=zone.enterprise_a, cadres=[], on=today())
    wang = world["wang"]
    assert visible(wang, Project) == set()
    assert visible(wang, Enterprise) == set()
    assert visible(wang, Problem) == set()


def test_the_old_address_of_the_cadres_pages_leads_to_their_new_place(client):
    response = client.get("/admin/projects/cadre/12/change/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/admin/cadres/cadre/12/change/?x=1"
