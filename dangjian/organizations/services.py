"""Writes to the organization tree and to posts."""

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import StillReferenced, assign, save_checked, service

from .models import BRANCH_KINDS, KIND_RANK, OrgKind, PartyOrganization, Post

TREE_FIELDS = ["path", "depth", "numchild"]
# What a person edits (in this order on forms and in the API); services also accept the rest.
ORG_FIELDS = (
    "name",
    "short_name",
    "kind",
    "unit_name",
    "unit_enterprise",
    "unit_nature",
    "founded_on",
    "secretary_name",
    "secretary",
    "deputy_secretary",
    "standardized",
    "brand",
    "has_committee",
    "term_started_on",
    "dissolved_on",
    "note",
)
POST_FORM_FIELDS = ("name", "kind", "organization", "established_on", "revoked_on", "note")
POST_FIELDS = (*POST_FORM_FIELDS, "established_month_only")

# The apps above this one keep records on organizations (members, dues, meetings) and add the
# rules those records put on an organization here, in their AppConfig.ready():
# a kind check (organization) raises ValidationError if the organization's new kind no longer
# fits the records it holds; a delete blocker (organization) names what still hangs on it.
# keyed by the function's module and name, so a module imported again replaces its own, not repeats it
_kind_checks: dict = {}
_delete_blockers: dict = {}


def _key(func):
    return f"{func.__module__}.{func.__qualname__}"


def register_kind_check(check):
    _kind_checks[_key(check)] = check
    return check


def register_delete_blocker(blocker):
    _delete_blockers[_key(blocker)] = blocker
    return blocker


# 所在单位 changed: the enterprises app keeps each enterprise's organization path from its
# organizations (enterprise ids are sent).
units_changed = Signal()


def validate_placement(org: PartyOrganization, parent: PartyOrganization | None):
    """The tree's rules: one root; a 党小组 only under a branch; a lower rank under a higher one
    (a 党委 may sit under a 党委); nothing under a 党小组; no cycles; no new child under a
    dissolved organization."""
    if parent is None:
        other_roots = PartyOrganization.objects.roots()
        if org.pk:
            other_roots = other_roots.exclude(pk=org.pk)
        root = other_roots.first()
        if root is not None:
            raise ValidationError({"parent": f"必须填写上级组织（只有根组织“{root.name}”可以没有上级组织）"})
        if org.kind == OrgKind.PARTY_GROUP:
            raise ValidationError({"parent": "党小组必须隶属于党支部"})
        return
    if org.pk and (parent.pk == org.pk or parent.path.startswith(org.path)):
        raise ValidationError({"parent": f"不能把“{org.name}”移到它自己或它的下级组织之下"})
    check_kinds(org, parent)
    if parent.is_dissolved():
        raise ValidationError({"parent": f"上级组织“{parent.name}”已于 {parent.dissolved_on:%Y-%m-%d} 撤销"})
    siblings = parent.children().filter(name=org.name)
    if org.pk:
        siblings = siblings.exclude(pk=org.pk)
    if siblings.exists():
        raise ValidationError({"name": f"“{parent.name}”下已有同名组织“{org.name}”"})


def check_kinds(org: PartyOrganization, parent: PartyOrganization):
    """The kind rules between an organization and its parent: a 党小组 only under a branch,
    nothing under a 党小组, a lower rank under a higher one (a 党委 may sit under a 党委)."""
    kind_label = OrgKind(org.kind).label if org.kind in OrgKind.values else org.kind
    if parent.kind == OrgKind.PARTY_GROUP:
        raise ValidationError({"parent": f"党小组“{parent.name}”之下不能再设组织"})
    if org.kind == OrgKind.PARTY_GROUP and parent.kind not in BRANCH_KINDS:
        raise ValidationError(
            {"parent": f"党小组只能设在党支部之下，“{parent.name}”是{parent.get_kind_display()}"}
        )
    both_committees = org.kind == parent.kind == OrgKind.COMMITTEE
    if not both_committees and KIND_RANK[OrgKind(org.kind)] <= KIND_RANK[OrgKind(parent.kind)]:
        raise ValidationError({"parent": f"{kind_label}不能隶属于{parent.get_kind_display()}“{parent.name}”"})


def _check_kind_change(org: PartyOrganization):
    """A changed kind must still fit the organization's children and the records it holds."""
    new_label = org.get_kind_display()
    for child in org.children():
        try:
            check_kinds(child, org)
        except ValidationError as exc:
            reason = "；".join(exc.messages)
            raise ValidationError(
                {"kind": f"改为{new_label}后，下级组织“{child.name}”不符合隶属规则：{reason}"}
            )
    for check in _kind_checks.values():
        check(org)


def _link_unit(org: PartyOrganization):
    """所在单位: an enterprise chosen directly wins; otherwise a name that matches exactly one
    enterprise links to it. (Enterprises are the enterprises app's, reached through this field.)"""
    enterprises = PartyOrganization._meta.get_field("unit_enterprise").related_model._base_manager
    if org.unit_enterprise_id and (not org.unit_name or org.unit_name == org.unit_enterprise.name):
        org.unit_name = org.unit_enterprise.name
        return
    org.unit_enterprise = None
    if org.unit_name:
        matches = list(enterprises.filter(name=org.unit_name)[:2])
        if len(matches) == 1:
            org.unit_enterprise = matches[0]


def _sync_secretary(org: PartyOrganization, fields: dict):
    """书记 is a name (from the ledger) and, where known, a link to the member: choosing the member
    sets the name; a different name from a ledger drops a link that no longer matches."""
    if org.secretary_id is None:
        return
    if "secretary" in fields:
        org.secretary_name = org.secretary.name
    elif org.secretary.name != org.secretary_name:
        org.secretary = None


def _sync_enterprises(*enterprise_ids):
    ids = [e for e in enterprise_ids if e]
    if ids:
        units_changed.send(sender=PartyOrganization, enterprise_ids=ids)


@service
def organization_create(*, actor, parent: PartyOrganization | None, **fields) -> PartyOrganization:
    org = PartyOrganization()
    assign(org, fields, ORG_FIELDS)
    _link_unit(org)
    validate_placement(org, parent)
    org.full_clean(exclude=TREE_FIELDS)
    org = (
        PartyOrganization.objects.add_root(instance=org)
        if parent is None
        else PartyOrganization.objects.add_child(parent, instance=org)
    )
    ensure_in_scope(actor, org, "add")
    _sync_enterprises(org.unit_enterprise_id)
    return org


@service
def organization_update(*, actor, organization: PartyOrganization, parent=..., **fields) -> PartyOrganization:
    """Change fields and, when `parent` is given and differs, move the organization (with its
    subtree, members and posts) under the new parent."""
    ensure_in_scope(actor, organization, "change")
    stored = PartyOrganization.objects.get(pk=organization.pk)
    old_enterprise = stored.unit_enterprise_id
    assign(organization, fields, ORG_FIELDS)
    _link_unit(organization)
    _sync_secretary(organization, fields)
    current_parent = stored.parent
    moving = parent is not ... and (parent.pk if parent else None) != (
        current_parent.pk if current_parent else None
    )
    kind_changed = "kind" in fields and organization.kind != stored.kind
    if moving or "name" in fields or kind_changed:
        validate_placement(organization, parent if moving else current_parent)
    if kind_changed:
        _check_kind_change(organization)
    organization.path, organization.depth = stored.path, stored.depth
    save_checked(organization, actor=actor, action="change", exclude=TREE_FIELDS)
    if moving:
        _move(organization, parent, current_parent)
        ensure_in_scope(actor, organization, "change")
    _sync_enterprises(old_enterprise, organization.unit_enterprise_id)
    return organization


def _move(org, parent, old_parent):
    if parent is None:
        raise ValidationError({"parent": "不能把组织移为根组织"})
    enterprise_ids = set(
        PartyOrganization.objects.filter(
            path__startswith=org.path, unit_enterprise__isnull=False
        ).values_list("unit_enterprise_id", flat=True)
    )
    PartyOrganization.objects.move(org, parent, "last-child")
    org.refresh_from_db()
    audit_record(
        AuditEntry.Action.UPDATE,
        obj=org,
        before={"上级组织": old_parent.name if old_parent else None},
        after={"上级组织": parent.name},
        message="组织调整隶属关系（下级组织、党员、阵地随之调整）",
    )
    _sync_enterprises(*enterprise_ids)


@service
def organization_dissolve(*, actor, organization: PartyOrganization, on) -> PartyOrganization:
    ensure_in_scope(actor, organization, "change")
    if on is None:
        raise ValidationError({"dissolved_on": "请填写撤销日期"})
    if on > timezone.localdate():
        raise ValidationError({"dissolved_on": "撤销日期不能晚于今天"})
    organization.dissolved_on = on
    return save_checked(organization, actor=actor, action="change", exclude=TREE_FIELDS)


@service
def organization_delete(*, actor, organization: PartyOrganization):
    ensure_in_scope(actor, organization, "delete")
    reasons = []
    if organization.children().exists():
        reasons.append("下级组织")
    reasons.extend(reason for blocker in _delete_blockers.values() if (reason := blocker(organization)))
    if organization.posts.exists():
        reasons.append("阵地与岗区")
    if reasons:
        raise StillReferenced(
            f"“{organization.name}”下还有{'、'.join(reasons)}，不能删除；已撤销的组织请填写撤销日期"
        )
    enterprise_id = organization.unit_enterprise_id
    organization.delete()
    _sync_enterprises(enterprise_id)


# -- posts ---------------------------------------------------------------------------
def _check_post_org(post: Post):
    if post.organization_id and post.organization.is_dissolved() and post._state.adding:
        raise ValidationError({"organization": f"“{post.organization.name}”已撤销，不能新设阵地与岗区"})


@service
def post_create(*, actor, **fields) -> Post:
    post = Post()
    assign(post, fields, POST_FIELDS)
    _check_post_org(post)
    return save_checked(post, actor=actor, action="add")


@service
def post_update(*, actor, post: Post, **fields) -> Post:
    ensure_in_scope(actor, post, "change")
    assign(post, fields, POST_FIELDS)
    _check_post_org(post)
    return save_checked(post, actor=actor, action="change")


@service
def post_delete(*, actor, post: Post):
    ensure_in_scope(actor, post, "delete")
    post.delete()
