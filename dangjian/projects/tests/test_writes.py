"""Edits and deletes of projects, problems and dispatch meetings go through services, in the
back office and the API alike: a record still needed elsewhere is kept with a Chinese reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Grant
from dangjian.core.testing.scope_matrix import admin_change_data
from dangjian.projects import services
from dangjian.projects.models import DispatchMeeting, Milestone, Problem, ProblemStatus, Project

from .factories import ONE_DAY, make_cadre, make_problem, make_project, today

pytestmark = pytest.mark.django_db


def test_deleting_a_project_ends_the_grants_its_assignments_carried():
    wang = make_cadre("王")
    project = make_project("删除的项目", cadres=[wang])
    assert Grant.objects.filter(user=wang.user, object_id=project.pk).exists()
    services.project_delete(actor=None, project=project)
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Grant.objects.filter(user=wang.user, object_id=project.pk).exists()


def test_a_project_with_problems_is_kept_with_a_chinese_reason():
    project = make_project("有问题的项目", cadres=[make_cadre()])
    make_problem(project=project)
    with pytest.raises(ValidationError) as excinfo:
        services.project_delete(actor=None, project=project)
    assert excinfo.value.messages == ["“有问题的项目”还有堵点难点问题引用，不能删除"]
    assert Project.objects.filter(pk=project.pk).exists()


def test_the_api_refuses_to_delete_a_project_with_problems_with_a_409_not_a_500(client, zone_admin):
    project = make_project("接口删除", cadres=[make_cadre()])
    make_problem(project=project)
    client.force_login(zone_admin)
    response = client.delete(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == 409
    assert "堵点难点问题" in response.json()["non_field_errors"][0]


def test_a_problem_is_corrected_but_its_owner_changes_only_by_reassignment():
    project = make_project(cadres=[make_cadre("王")])
    problem = make_problem(project=project, description="原来的描述")
    services.problem_update(actor=None, problem=problem, description="改正的描述")
    assert Problem.objects.get(pk=problem.pk).description == "改正的描述"
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=None, problem=problem, owner=make_cadre("李"))
    assert excinfo.value.message_dict == {"owner": ["更换责任人请使用“更换责任人”"]}


def test_a_problem_cannot_be_corrected_to_a_future_day():
    problem = make_problem(project=make_project(cadres=[make_cadre()]))
    with pytest.raises(ValidationError):
        services.problem_update(actor=None, problem=problem, raised_on=today() + ONE_DAY)
    assert Problem.objects.get(pk=problem.pk).raised_on == today()


def test_the_problem_page_saves_a_correction_through_the_service(client, zone_admin):
    problem = make_problem(project=make_project(cadres=[make_cadre()]), description="旧")
    client.force_login(zone_admin)
    data = admin_change_data(problem, description="新的描述")
    response = client.post(f"/admin/projects/problem/{problem.pk}/change/", data)
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.description, problem.status) == ("新的描述", ProblemStatus.TODO)


def test_a_milestone_removed_on_the_project_page_is_deleted_through_the_service(client, zone_admin):
    project = make_project("节点项目", cadres=[make_cadre()])
    milestone = services.milestone_save(
        actor=None, project=project, name="开工", planned_on=datetime.date(2025, 3, 1)
    )
    client.force_login(zone_admin)
    data = admin_change_data(project)
    data.update(
        {
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "1",
            "milestones-0-id": str(milestone.pk),
            "milestones-0-project": str(project.pk),
            "milestones-0-name": "开工",
            "milestones-0-planned_on": "2025-03-01",
            "milestones-0-DELETE": "on",
        }
    )
    response = client.post(f"/admin/projects/project/{project.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_dispatch_meeting_is_changed_and_deleted_through_the_services(client, zone_admin):
    monday = today() - datetime.timedelta(days=today().weekday() + 7)
    meeting = services.dispatch_meeting_save(actor=None, week_start=monday, held_on=monday, host="张")
    client.force_login(zone_admin)
    data = admin_change_data(meeting, host="李书记")
    assert client.post(f"/admin/projects/dispatchmeeting/{meeting.pk}/change/", data).status_code == 302
    assert DispatchMeeting.objects.get(pk=meeting.pk).host == "李书记"
    response = client.post(f"/admin/projects/dispatchmeeting/{meeting.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not DispatchMeeting.objects.filter(pk=meeting.pk).exists()


def test_saving_a_page_of_read_only_fields_writes_nothing_and_answers_no_error(client, zone_admin):
    problem = make_problem(project=make_project(cadres=[make_cadre()]))
    record = services.daily_record_save(
        actor=None, cadre=problem.owner, day=today() - ONE_DAY, content="走访企业", projects=[problem.project]
    )
    client.force_login(zone_admin)
    response = client.post(f"/admin/projects/dailyrecord/{record.pk}/change/", {"_save": "保存"})
    assert response.status_code in (302, 403)


def test_the_add_page_opens_before_any_cadre_is_recorded(client, zone):
    """With no cadre the user may change (none recorded yet), the cadre fields are shown fixed:
    a project being added has nobody in charge, and the page opens (it once failed with a 500)."""
    from dangjian.cadres.models import Cadre
    from dangjian.testing.factories import make_user

    assert not Cadre.objects.exists()
    client.force_login(make_user("zone_admin", organization=zone.root))
    response = client.get("/admin/projects/project/add/")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields["lead_cadre"].queryset) == []
