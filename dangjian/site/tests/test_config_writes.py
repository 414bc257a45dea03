"""Configuration records and deletes of business records go through services in the back office
and the API: the model's rules hold, the change is attributed to the user, and a record still in
use is kept with a Chinese reason instead of an error page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.accounts import services as account_services
from dangjian.accounts.models import Grant, Role, User
from dangjian.audit.models import AuditEntry
from dangjian.core.models import Holiday, RuleSet
from dangjian.core.rules import rule_version_add, rules_for
from dangjian.core.services import config_delete, config_save
from dangjian.core.testing.codes import make_id_number
from dangjian.enterprises.models import IndustryCluster
from dangjian.members import services as member_services
from dangjian.members.models import DevelopmentCase, DuesBase, DuesCategory
from dangjian.servicedesk.models import RequestCategory
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def test_a_cluster_in_use_is_kept_with_the_reason(zone):
    cluster = zone.enterprise_a.cluster
    with pytest.raises(ValidationError) as excinfo:
        config_delete(actor=None, instance=cluster)
    assert excinfo.value.messages == [f"“{cluster}”还有企业引用，不能删除；可改为停用"]
    assert IndustryCluster.objects.filter(pk=cluster.pk).exists()


def test_deleting_a_cluster_in_use_in_the_back_office_shows_the_reason(client, zone, zone_admin):
    cluster = zone.enterprise_a.cluster
    client.force_login(zone_admin)
    response = client.post(
        f"/admin/enterprises/industrycluster/{cluster.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "受保护" in response.content.decode()  # the page lists the enterprises that keep it
    assert IndustryCluster.objects.filter(pk=cluster.pk).exists()


def test_the_api_refuses_to_delete_a_cluster_in_use_with_a_409(client, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.delete(f"/api/v1/clusters/{zone.enterprise_a.cluster_id}/")
    assert response.status_code == 409
    assert "不能删除" in response.json()["non_field_errors"][0]


def test_an_unused_cluster_is_deleted_and_the_delete_is_attributed(zone, zone_admin):
    cluster = config_save(actor=zone_admin, instance=IndustryCluster(name="低空经济", sort_order=9))
    pk = cluster.pk
    config_delete(actor=zone_admin, instance=cluster)
    assert not IndustryCluster.objects.filter(name="低空经济").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, actor=zone_admin, object_id=str(pk))


def test_an_immediate_request_category_must_be_accepted_within_one_working_day_in_the_api(
    client, zone, zone_admin
):
    client.force_login(zone_admin)
    response = client.post(
        "/api/v1/request-categories/",
        {"name": "急事", "accept_workdays": 2, "close_workdays": 5, "is_immediate": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"accept_workdays": ["“马上办”类别须在 1 个工作日内受理"]}
    assert not RequestCategory.objects.filter(name="急事").exists()
    response = client.post(
        "/api/v1/request-categories/",
        {"name": "急事", "accept_workdays": 1, "close_workdays": 5, "is_immediate": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=zone_admin, object_repr="急事")


def test_a_holiday_is_saved_through_the_back_office(client, zone_admin):
    client.force_login(zone_admin)
    response = client.post(
        "/admin/core/holiday/add/", {"day": "2026-10-01", "name": "国庆节", "is_workday": "", "_save": "保存"}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(day=datetime.date(2026, 10, 1))
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, actor=zone_admin, object_id=str(holiday.pk)
    )


def test_a_rule_version_gets_the_next_number_and_applies_from_its_day():
    first = rules_for("members.dues")
    values = {**first.values, "unpaid_warning_months": 4}
    added = rule_version_add(
        actor=None, key="members.dues", effective_from=datetime.date(2026, 1, 1), values=values
    )
    assert added.version == first.version + 1
    assert rules_for("members.dues", datetime.date(2025, 12, 31)).pk == first.pk
    assert rules_for("members.dues", datetime.date(2026, 1, 1)).pk == added.pk


def test_a_rule_version_of_the_wrong_shape_is_refused():
    before = RuleSet.objects.count()
    with pytest.raises(ValidationError):
        rule_version_add(actor=None, key="members.dues", effective_from=datetime.date(2026, 1, 1), values={})
    assert RuleSet.objects.count() == before


def test_a_built_in_role_or_a_role_in_use_is_not_deleted(zone):
    with pytest.raises(ValidationError) as excinfo:
        account_services.role_delete(actor=None, role=Role.objects.get(code="leader"))
    assert excinfo.value.messages == ["“领导”是内置角色，不能删除"]
    custom = account_services.role_save(
        actor=None, role=Role(code="visitor", name="参观者", scope_kind="organization")
    )
    Grant.objects.create(user=make_user(), role=custom, organization=zone.root)
    with pytest.raises(ValidationError) as excinfo:
        account_services.role_delete(actor=None, role=custom)
    assert excinfo.value.messages == ["“参观者”还有授权，不能删除；请先撤销这些授权"]


def test_a_built_in_role_keeps_its_code():
    role = Role.objects.get(code="leader")
    role.code = "boss"
    with pytest.raises(ValidationError):
        account_services.role_save(actor=None, role=role)
    assert Role.objects.filter(code="leader").exists()


def test_a_development_record_of_an_admitted_member_is_not_deleted(zone):
    case = member_services.development_apply(
        actor=None,
        organization=zone.branch_a1,
        name="张申请",
        id_number=make_id_number(datetime.date(1990, 3, 7), 321),
        applied_on=datetime.date(2024, 3, 1),
    )
    DevelopmentCase.objects.filter(pk=case.pk).update(member=make_member(zone.branch_a1))
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        member_services.development_delete(actor=None, case=case)
    assert DevelopmentCase.objects.filter(pk=case.pk).exists()


def test_a_dues_base_outside_the_secretarys_scope_is_not_deleted(zone, secretary_a):
    member = make_member(zone.branch_b)
    base = member_services.dues_base_set(
        actor=None,
        member=member,
        effective_from=datetime.date(2026, 1, 1),
        category=DuesCategory.EMPLOYED,
        income=Decimal("6000"),
    )
    with pytest.raises(PermissionDenied):
        member_services.dues_base_delete(actor=secretary_a, base=base)
    assert DuesBase.objects.filter(pk=base.pk).exists()


def test_the_role_page_lists_permissions_in_chinese_and_keeps_those_it_does_not_offer(client, db):

    # (a superuser: the security administrator may not edit a role it holds itself, 三员分立)
    client.force_login(User.objects.create_superuser("superuser", password="Root@2026pass"))
    role = Role.objects.get(code="security_admin")
    page = client.get(f"/admin/accounts/role/{role.pk}/change/").content.decode()
    assert "组织生活 · 活动 · 修改" in page
    assert "Can add" not in page and "Can change" not in page
    assert "Choose" not in page
    assert role.permissions.filter(content_type__app_label="auth", codename="view_permission").exists()
    kept = {p.pk for p in role.permissions.all() if p.content_type.app_label == "accounts"}
    response = client.post(
        f"/admin/accounts/role/{role.pk}/change/",
        {"name": role.name, "description": role.description, "permissions": sorted(kept), "_save": "保存"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert role.permissions.filter(content_type__app_label="auth", codename="view_permission").exists()
    assert {p.pk for p in role.permissions.filter(content_type__app_label="accounts")} == kept
