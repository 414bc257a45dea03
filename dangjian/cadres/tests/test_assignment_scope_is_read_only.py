"""An assignment gives what it says and nothing more (issue 11): a cadre in charge of an
enterprise reads the projects that enterprise owns but changes none of them — not the project,
its milestones, nor who is in charge — and only those who keep the cadres (the zone) set the
cadres of a project, a cadre in charge of the project included."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from dangjian.cadres import services as cadre_services
from dangjian.cadres.models import Assignment
from dangjian.core.scope import restrict
from dangjian.projects.models import Milestone, Project
from dangjian.projects.tests.factories import ONE_DAY, assign, make_cadre, make_project, today, user_of

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(zone):
    """王 is in charge of 甲企业 only; 李 is in charge of 甲企业's project 扩建 and of 项目乙."""
    wang, li = make_cadre("王"), make_cadre("李")
    owned = make_project(
        "甲企业扩建", cadres=[li], on=today() - ONE_DAY * 30, owner_enterprise=zone.enterprise_a
    )
    assign(zone.enterprise_a, wang, on=today() - ONE_DAY * 30)
    return {"wang": wang, "li": li, "owned": owned}


def in_charge(project):
    return list(
        Assignment.objects.filter(project=project, end_on__isnull=True).values_list("cadre__name", flat=True)
    )


def test_through_the_enterprise_the_project_is_read_but_not_changed(world):
    wang = user_of(world["wang"])
    assert restrict(wang, Project, "view").filter(pk=world["owned"].pk).exists()
    assert not restrict(wang, Project, "change").filter(pk=world["owned"].pk).exists()
    assert not restrict(wang, Milestone, "change").exists()


def test_the_cadre_in_charge_of_the_project_still_changes_it(world):
    li = user_of(world["li"])
    assert restrict(li, Project, "change").filter(pk=world["owned"].pk).exists()


def test_the_issues_takeover_through_the_api_is_refused_and_changes_nothing(world):
    client, owned = api_as(user_of(world["wang"])), world["owned"]
    assert client.get(f"{PROJECTS}{owned.pk}/").status_code == 200

    taken = client.post(f"{PROJECTS}{owned.pk}/cadres/", {"cadres": [world["wang"].pk]}, format="json")
    assert taken.status_code == 403
    assert in_charge(owned) == ["李"]

    patched = client.patch(f"{PROJECTS}{owned.pk}/", {"note": "改了"}, format="json")
    assert patched.status_code in (403, 404)
    owned.refresh_from_db()
    assert owned.note != "改了"

    added = client.post(
        f"{PROJECTS}{owned.pk}/milestones/", {"name": "开工", "planned_on": str(today())}, format="json"
    )
    assert added.status_code in (403, 404)
    assert not Milestone.objects.filter(project=owned).exists()


def test_a_cadre_in_charge_of_the_project_cannot_change_who_is_in_charge(world):
    client, owned = api_as(user_of(world["li"])), world["owned"]
    answer = client.post(f"{PROJECTS}{owned.pk}/cadres/", {"cadres": [world["li"].pk]}, format="json")
    assert answer.status_code == 403
    assert "党工委" in answer.json()["detail"]
    assert in_charge(owned) == ["李"]
    # another cadre is not even a choice for him (out of his scope): refused as well
    answer = client.post(f"{PROJECTS}{owned.pk}/cadres/", {"cadres": [world["wang"].pk]}, format="json")
    assert answer.status_code == 400
    assert in_charge(owned) == ["李"]
    with pytest.raises(PermissionDenied):
        cadre_services.assignment_set(actor=user_of(world["li"]), project=owned, cadres=[], on=today())
    assert in_charge(owned) == ["李"]


def test_the_zone_sets_the_cadres(world, zone_admin):
    owned = world["owned"]
    answer = api_as(zone_admin).post(
        f"{PROJECTS}{owned.pk}/cadres/", {"cadres": [world["wang"].pk, world["li"].pk]}, format="json"
    )
    assert answer.status_code == 200
    assert in_charge(owned) == ["王", "李"]


def test_the_cadre_in_charge_saves_the_project_page_with_the_cadres_shown_not_changeable(world, client):
    owned = world["owned"]
    client.force_login(user_of(world["li"]))
    url = f"/admin/projects/project/{owned.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.fields["lead_cadre"].disabled and form.fields["other_cadres"].disabled
    assert "包抓干部由党工委设置" in page.content.decode()

    data = {
        name: value
        for name, value in {
            "name": owned.name,
            "category": owned.category,
            "status": owned.status,
            "owner_name": owned.owner_name,
            "owner_enterprise": owned.owner_enterprise_id,
            "total_investment": owned.total_investment,
            "note": "李改了备注",
            "lead_cadre": world["wang"].pk,  # ignored: the field is disabled
        }.items()
        if value is not None
    }
    for prefix in ("milestones", "approvals", "assignments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    answer = client.post(url, data)
    assert answer.status_code == 302, (
        answer.context["adminform"].form.errors,
        [f.formset.errors for f in answer.context["inline_admin_formsets"]],
        [f.formset.prefix for f in answer.context["inline_admin_formsets"]],
    )
    owned.refresh_from_db()
    assert owned.note == "李改了备注"
    assert in_charge(owned) == ["李"]


def test_the_enterprise_cadre_opens_the_project_page_read_only(world, client):
    client.force_login(user_of(world["wang"]))
    page = client.get(f"/admin/projects/project/{world['owned'].pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_the_present_out_of_scope_choice_stays_but_no_other_can_be_picked(world, zone, client):
    from dangjian.core.admin_base import keep_current_choices
    from dangjian.projects.admin.projects import ProjectForm

    li, owned = user_of(world["li"]), world["owned"]
    form = ProjectForm(instance=owned, user=li)
    form.fields["owner_enterprise"].queryset = restrict(li, form.fields["owner_enterprise"].queryset, "view")
    assert not form.fields["owner_enterprise"].queryset.exists()  # 甲企业 is out of 李's scope
    keep_current_choices(form)
    choices = set(form.fields["owner_enterprise"].queryset.values_list("pk", flat=True))
    assert choices == {zone.enterprise_a.pk}
    assert zone.enterprise_b.pk not in choices
