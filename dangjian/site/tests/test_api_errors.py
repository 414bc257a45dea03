"""No server error for a bad parameter or a protected delete: a delete of a record that others still
refer to is a Chinese 409 and deletes nothing; a year or scope out of range is a Chinese 400."""

import pytest
from rest_framework.test import APIClient

from dangjian.enterprises.models import Enterprise
from dangjian.organizations.models import PartyOrganization
from dangjian.projects.models import Project
from dangjian.projects.tests.factories import make_cadre, make_problem, make_project
from dangjian.servicedesk.models import RequestCategory
from dangjian.servicedesk.tests.factories import category, designate, submit
from dangjian.testing.factories import make_member


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def refused(response, model, pk):
    assert response.status_code == 409, response.content.decode()
    message = response.json()["non_field_errors"][0]
    assert "引用" in message and "不能删除" in message
    assert model.objects.filter(pk=pk).exists()
    return message


def test_deleting_an_organization_with_members_is_a_409(zone, zone_admin):
    make_member(zone.branch_b)
    response = api(zone_admin).delete(f"/api/v1/organizations/{zone.branch_b.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "non_field_errors": [
            "“乙企业党支部”下还有党员（含历史组织关系），不能删除；已撤销的组织请填写撤销日期"
        ]
    }
    assert PartyOrganization.objects.filter(pk=zone.branch_b.pk).exists()


def test_deleting_an_enterprise_with_requests_is_a_409(zone, zone_admin):
    designate(zone.enterprise_b, make_cadre("王联系"))
    submit(zone.enterprise_b)
    message = refused(
        api(zone_admin).delete(f"/api/v1/enterprises/{zone.enterprise_b.pk}/"),
        Enterprise,
        zone.enterprise_b.pk,
    )
    assert "诉求" in message


def test_deleting_a_project_with_problems_is_a_409(zone, zone_admin):
    project = make_project("有问题的项目")
    make_problem(project=project)
    message = refused(api(zone_admin).delete(f"/api/v1/projects/{project.pk}/"), Project, project.pk)
    assert "堵点难点问题" in message


def test_deleting_a_request_category_in_use_is_a_409(zone, zone_admin):
    designate(zone.enterprise_a, make_cadre("王联系"))
    used = category("政策咨询")
    submit(zone.enterprise_a, category=used)
    refused(api(zone_admin).delete(f"/api/v1/request-categories/{used.pk}/"), RequestCategory, used.pk)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=0", "year", "年度应在 1949 至 2100 之间"),
        ("year=99999", "year", "年度应在 1949 至 2100 之间"),
        ("year=abc", "year", "年度应为四位数字"),
        ("year=2025&scope=abc", "scope", "范围应为党组织的编号"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/indicators/", "/api/v1/indicators/members.total/"])
def test_a_bad_figure_parameter_is_a_chinese_400(zone, zone_admin, path, query, field, message):
    response = api(zone_admin).get(f"{path}?{query}")
    assert response.status_code == 400, response.content.decode()
    assert message in str(response.json()[field])


def test_the_edges_of_the_year_are_answered(zone, zone_admin):
    for year in (1949, 2100):
        assert api(zone_admin).get(f"/api/v1/indicators/members.total/?year={year}").status_code == 200


def test_a_delete_blocker_registered_again_is_not_repeated(zone, zone_admin):
    from django.apps import apps

    apps.get_app_config("members").ready()  # again, as when a test changes INSTALLED_APPS
    make_member(zone.branch_b)
    response = api(zone_admin).delete(f"/api/v1/organizations/{zone.branch_b.pk}/")
    assert response.json()["non_field_errors"][0].count("党员（含历史组织关系）") == 1
