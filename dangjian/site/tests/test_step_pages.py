"""The workflow steps in the back office (…/<id>/step/<step>/) for problems, service requests and
development cases: one page per step in Chinese, the step taken by its service on submit, and a
refused step shown with the service's reason and nothing changed."""

import datetime

import pytest

from dangjian.core.testing.codes import make_id_number
from dangjian.members import services as member_services
from dangjian.members.models import DevelopmentCase
from dangjian.projects.models import Problem, ProblemStatus
from dangjian.projects.tests.factories import make_cadre, make_problem, make_project
from dangjian.servicedesk.models import Handling, RequestStatus, ServiceRequest
from dangjian.servicedesk.tests.factories import designate, submit

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def test_a_problem_step_page_takes_the_step(client, zone_admin):
    problem = make_problem(project=make_project(cadres=[make_cadre()]))
    client.force_login(zone_admin)
    url = f"/admin/projects/problem/{problem.pk}/step/accept/"
    page = client.get(url)
    assert page.status_code == 200
    assert "开始办理" in page.content.decode()
    response = client.post(url, {"on": TODAY().isoformat(), "text": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/projects/problem/{problem.pk}/change/"
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_PROGRESS


def test_a_refused_problem_step_shows_the_reason_and_changes_nothing(client, zone_admin):
    problem = make_problem(project=make_project(cadres=[make_cadre()]))
    client.force_login(zone_admin)
    response = client.post(
        f"/admin/projects/problem/{problem.pk}/step/solve/", {"on": TODAY().isoformat(), "text": ""}
    )
    assert response.status_code == 200
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.TODO
    assert "请填写办理结果" in response.content.decode()


def test_an_unknown_step_is_refused(client, zone_admin):
    problem = make_problem(project=make_project(cadres=[make_cadre()]))
    client.force_login(zone_admin)
    assert client.get(f"/admin/projects/problem/{problem.pk}/step/fly/").status_code == 403


def test_a_request_is_accepted_on_its_step_page_with_a_handler_in_scope(client, zone, zone_admin):
    cadre = designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a)
    client.force_login(zone_admin)
    url = f"/admin/servicedesk/servicerequest/{request.pk}/step/accept/"
    page = client.get(url)
    assert page.status_code == 200 and "受理" in page.content.decode()
    response = client.post(url, {"on": TODAY().isoformat(), "handling": Handling.CADRE, "handler": cadre.pk})
    assert response.status_code == 302
    request = ServiceRequest.objects.get(pk=request.pk)
    assert (request.status, request.handler_id) == (RequestStatus.ACCEPTED, cadre.pk)


def test_a_development_step_page_records_the_talk(client, zone, zone_admin):
    case = member_services.development_apply(
        actor=None,
        organization=zone.branch_a1,
        name="张申请",
        id_number=make_id_number(datetime.date(1995, 3, 10), 77),
        applied_on=TODAY() - datetime.timedelta(days=10),
    )
    client.force_login(zone_admin)
    url = f"/admin/members/developmentcase/{case.pk}/step/talk/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"on": TODAY().isoformat(), "note": "谈话"})
    assert response.status_code == 302
    assert DevelopmentCase.objects.get(pk=case.pk).talked_on == TODAY()
    future = client.post(url.replace("talk", "activist"), {"on": "2099-01-01", "note": ""})
    assert future.status_code == 200
    assert DevelopmentCase.objects.get(pk=case.pk).activist_on is None
