"""Writes to enterprises and their yearly figures."""

from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import assign, save_checked, service
from dangjian.organizations.models import PartyOrganization

from .models import Enterprise, EnterpriseYear

# What a person edits (in this order on forms and in the API); imports also set the month flag.
ENTERPRISE_FORM_FIELDS = (
    "name",
    "credit_code",
    "cluster",
    "settled_on",
    "is_high_tech",
    "is_tech_sme",
    "is_above_scale",
    "is_chain_leader",
    "is_incubated",
    "employees",
    "contact_name",
    "contact_phone",
    "contact_cadre",
    "note",
)
ENTERPRISE_FIELDS = (*ENTERPRISE_FORM_FIELDS, "settled_month_only")
YEAR_FIELDS = ("enterprise", "year", "revenue", "profit_tax", "new_jobs")


def enterprise_sync_org_path(enterprise_ids):
    """An enterprise's organization is the highest party organization whose 所在单位 is it."""
    for enterprise in Enterprise.objects.filter(pk__in=list(enterprise_ids)):
        top = (
            PartyOrganization.objects.filter(unit_enterprise=enterprise)
            .order_by("depth", "path")
            .values_list("path", flat=True)
            .first()
        )
        if (top or "") != enterprise.org_path:
            Enterprise.objects.filter(pk=enterprise.pk).update(org_path=top or "")


def _link_organizations(enterprise: Enterprise):
    """Organizations whose 所在单位 names this enterprise (and no other) now point to it."""
    # zone-wide on purpose: a 所在单位 name links only if it names exactly one enterprise anywhere
    if Enterprise.objects.filter(name=enterprise.name).count() != 1:
        return
    for org in PartyOrganization.objects.filter(unit_name=enterprise.name, unit_enterprise__isnull=True):
        org.unit_enterprise = enterprise
        org.save(update_fields=["unit_enterprise", "updated_at"])
    enterprise_sync_org_path([enterprise.pk])
    enterprise.refresh_from_db(fields=["org_path"])


@service
def enterprise_create(*, actor, **fields) -> Enterprise:
    enterprise = Enterprise()
    assign(enterprise, fields, ENTERPRISE_FIELDS)
    enterprise.full_clean()
    enterprise.save()
    _link_organizations(enterprise)
    ensure_in_scope(actor, enterprise, "add")
    return enterprise


def _rename_units(enterprise: Enterprise):
    """The 所在单位 of the organizations linked to a renamed enterprise follows the new name, so
    a later edit of such an organization does not unlink it (see organizations.services._link_unit)."""
    for org in PartyOrganization.objects.filter(unit_enterprise=enterprise).exclude(
        unit_name=enterprise.name
    ):
        org.unit_name = enterprise.name
        org.save(update_fields=["unit_name", "updated_at"])


@service
def enterprise_update(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    ensure_in_scope(actor, enterprise, "change")
    assign(enterprise, fields, ENTERPRISE_FIELDS)
    save_checked(enterprise, actor=actor, action="change")
    _rename_units(enterprise)
    _link_organizations(enterprise)
    return enterprise


@service
def enterprise_delete(*, actor, enterprise: Enterprise):
    ensure_in_scope(actor, enterprise, "delete")
    enterprise.delete()


@service
def enterprise_year_save(*, actor, instance: EnterpriseYear | None = None, **fields) -> EnterpriseYear:
    if instance is None:
        instance, action = EnterpriseYear(), "add"
    else:
        ensure_in_scope(actor, instance, "change")
        action = "change"
    assign(instance, fields, YEAR_FIELDS)
    return save_checked(instance, actor=actor, action=action)


@service
def enterprise_year_delete(*, actor, instance: EnterpriseYear):
    ensure_in_scope(actor, instance, "delete")
    instance.delete()
