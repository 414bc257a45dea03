"""Writes to the organization tree and to posts."""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import StillReferenced, assign, save_checked, service

from .models import BRANCH_KINDS, KIND_RANK, OrganizationWarning, OrgKind, PartyOrganization, Post
from .warnings import EVERY_ORGANIZATION, compute_warnings

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


# -- stored warnings -------------------------------------------------------------------------
# Organizations refreshed together: a few thousand at a time, so the providers' reads and the
# rows they return stay bounded however large the zone is.
REFRESH_CHUNK = 2000


def _chunks(ids, size):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _all_organization_ids():
    """Every organization's id, read a chunk at a time (a province has 100,000)."""
    last = 0
    while True:
        chunk = list(
            PartyOrganization.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:REFRESH_CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def refresh_warnings(organization_ids=None, *, today=None) -> int:
    """Work the warnings of the organizations out again (all of them without ids) and replace
    what is stored for them, each chunk of organizations in one transaction: the old rows
    deleted, the providers' new ones written at once. A dissolved organization keeps none.
    Returns the number of warnings stored for those organizations."""
    today = today or timezone.localdate()
    if organization_ids is None:
        # everything is refreshed now: what this transaction's writes marked so far is included
        pending = _pending(transaction.get_connection())
        if pending is not None:
            pending.take()
    chunks = (
        _all_organization_ids()
        if organization_ids is None
        else _chunks(sorted({int(pk) for pk in organization_ids if pk is not None}), REFRESH_CHUNK)
    )
    stored = 0
    for chunk in chunks:
        with transaction.atomic():
            found = compute_warnings(PartyOrganization.objects.filter(pk__in=chunk), today)
            OrganizationWarning.objects.filter(organization_id__in=chunk).delete()
            now = timezone.now()
            OrganizationWarning.objects.bulk_create(
                [
                    OrganizationWarning(
                        organization=w.organization,
                        org_path=w.organization.path,
                        group=w.group,
                        code=w.code,
                        message=w.message,
                        refreshed_at=now,
                    )
                    for w in found
                ],
                batch_size=1000,
            )
            stored += len(found)
    if organization_ids is None:
        _analyze(OrganizationWarning)
    return stored


def _analyze(model):
    """After the whole table is rewritten, PostgreSQL's statistics of it are brought up to date at
    once (not whenever autovacuum comes by): a province's first page is planned as an ordered walk
    of the page index only when the planner knows how many rows the scope's prefix matches."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class _PendingWarnings:
    """The organizations whose warnings the writes of one transaction changed, refreshed once
    when it commits (or earlier, by a read in the same transaction)."""

    def __init__(self, using):
        self.using = using
        self.ids: set = set()
        self.everything = False
        # taken (run, or made needless by a refresh of everything): later writes start another
        self.done = False

    def take(self):
        self.done = True
        return self.everything, self.ids

    def __call__(self):
        everything, ids = self.take()
        if everything:
            refresh_warnings()
        elif ids:
            refresh_warnings(ids)


def _pending(connection):
    """The transaction's pending refresh, if it is still to run on commit (a rolled-back
    savepoint or transaction drops it, with the writes that made it)."""
    pending = getattr(connection, "_dangjian_pending_warnings", None)
    if (
        pending is not None
        and not pending.done
        and any(func is pending for _sids, func, _robust in connection.run_on_commit)
    ):
        return pending
    return None


def warnings_changed(organization_ids, *, using=None):
    """The warnings of these organizations (or of every one: EVERY_ORGANIZATION) may have
    changed. Inside a transaction they are refreshed once, when it commits; outside one, now.
    The watched models' saves and deletes call this by themselves (`signals`); a write that
    bypasses them (bulk_create, a queryset's update(), raw SQL) calls it with the organizations
    it touched."""
    everything = organization_ids is EVERY_ORGANIZATION
    ids = set() if everything else {pk for pk in organization_ids if pk is not None}
    if not everything and not ids:
        return
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        refresh_warnings(None if everything else ids)
        return
    pending = _pending(connection)
    if pending is None:
        pending = _PendingWarnings(using)
        connection._dangjian_pending_warnings = pending
        # robust: the write has committed; a refresh that fails is logged, and the daily job
        # puts the warnings right
        transaction.on_commit(pending, using=using, robust=True)
    if everything:
        pending.everything = True
    else:
        pending.ids |= ids


def warnings_of_written(instances, *, using=None):
    """Rows of a watched model written without their save signal (bulk_create): the warnings of
    the organizations they concern change as their saves would have changed them."""
    from .signals import _organizations_of

    ids: set = set()
    for instance in instances:
        found = _organizations_of(type(instance), instance, using)
        if found is EVERY_ORGANIZATION:
            warnings_changed(EVERY_ORGANIZATION, using=using)
            return
        ids |= found
    warnings_changed(ids, using=using)


def apply_pending_warnings(*, using=None):
    """Refresh now what the current transaction's writes have changed so far, so that a read in
    the same transaction sees its own writes (the refresh on commit then has nothing left)."""
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        return
    pending = _pending(connection)
    if pending is not None:
        pending()
