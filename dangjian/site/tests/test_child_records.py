"""A record's children show on its change page to whoever may see the record, and pages of
records governed by another model (dues payments and bases by the dues assessments, duty items
by their duty list) open for the roles that hold that model's permissions."""

import datetime
from decimal import Decimal

import pytest

from dangjian.members import services as member_services
from dangjian.members.models import DuesCategory
from dangjian.partylife import services as partylife_services
from dangjian.projects import services as project_services
from dangjian.projects.tests.factories import make_cadre, make_project
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/members/duespayment/", "/admin/members/duesbase/"])
@pytest.mark.parametrize("role", ["zone_admin", "leader", "secretary"])
def test_the_dues_pages_of_the_sidebar_open_for_the_roles_that_see_them(client, zone, role, url):
    scope = zone.committee_a if role == "secretary" else zone.root
    client.force_login(make_user(role, organization=scope))
    assert client.get(url).status_code == 200


def test_a_dues_base_outside_the_secretarys_scope_is_not_listed(client, zone, secretary_a):
    inside, outside = make_member(zone.branch_a1, name="甲党员"), make_member(zone.branch_b, name="乙党员")
    for member in (inside, outside):
        member_services.dues_base_set(
            actor=None,
            member=member,
            effective_from=datetime.date(2026, 1, 1),
            category=DuesCategory.EMPLOYED,
            income=Decimal("6000"),
        )
    client.force_login(secretary_a)
    page = client.get("/admin/members/duesbase/").content.decode()
    assert "甲党员" in page and "乙党员" not in page


def test_a_project_page_shows_its_milestones_and_cadres_to_the_zone_admin(client, zone_admin):
    project = make_project("有节点的项目", cadres=[make_cadre("王包抓")])
    project_services.milestone_save(
        actor=None, project=project, name="主体封顶", planned_on=datetime.date(2026, 6, 1)
    )
    client.force_login(zone_admin)
    page = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert "主体封顶" in page
    assert "王包抓" in page


def test_a_cadre_page_shows_the_cadres_assignments(client, zone_admin):
    cadre = make_cadre("王包抓")
    make_project("包抓的项目", cadres=[cadre])
    client.force_login(zone_admin)
    page = client.get(f"/admin/cadres/cadre/{cadre.pk}/change/").content.decode()
    assert "包抓关系" in page and "包抓的项目" in page


def test_a_duty_item_opens_for_the_secretary_with_its_progress(client, zone, secretary_a):
    duty_list = partylife_services.duty_list_create(
        actor=None,
        organization=zone.branch_a1,
        year=2026,
        title="责任清单",
        items=[{"title": "建强支部班子", "deadline": datetime.date(2026, 12, 31)}],
    )
    item = duty_list.items.get()
    partylife_services.duty_item_progress(
        actor=None, item=item, text="已召开专题会议", on=datetime.date(2026, 3, 1)
    )
    client.force_login(secretary_a)
    page = client.get(f"/admin/partylife/dutyitem/{item.pk}/change/")
    assert page.status_code == 200
    assert "已召开专题会议" in page.content.decode()


def test_a_duty_item_outside_the_scope_is_not_found(client, zone, secretary_a):
    duty_list = partylife_services.duty_list_create(
        actor=None,
        organization=zone.branch_b,
        year=2026,
        title="乙的清单",
        items=[{"title": "乙的事项", "deadline": datetime.date(2026, 12, 31)}],
    )
    client.force_login(secretary_a)
    assert client.get(f"/admin/partylife/dutyitem/{duty_list.items.get().pk}/change/").status_code == 404
