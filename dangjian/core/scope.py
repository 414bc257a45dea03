"""Data scope: the one way every page, API call, export and figure reads data.

A user's grants (accounts.Grant) each give a role (a set of permissions) over a scope:
the whole installation (the three administrators), an organization's subtree, one
enterprise, or one assigned record. `restrict(user, queryset, action)` keeps the rows that
some grant whose role has `<app>.<action>_<model>` reaches. Models say how they are reached
with a `SCOPE = ScopeSpec(...)` class attribute; a model without one is configuration or
account data that any grant with the permission sees in full.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q

OUT_OF_SCOPE = "超出您的数据授权范围，操作未执行"


@dataclass(frozen=True)
class ScopeSpec:
    # lookup to the materialized path of the record's organization ("org_path", "path",
    # "enterprise__org_path"); None if the record has no organization
    org_path: str | None = None
    # lookup to the enterprise the record belongs to ("pk" on Enterprise itself)
    enterprise: str | None = None
    # the model whose permissions govern this one ("members.member"); default: itself
    permission_model: str | None = None
    # other assigned-record kinds: {"projects.project": "project"}
    assigned: dict = field(default_factory=dict)
    # lookups to users who see the record whatever their grant's scope (the cadre who wrote a
    # daily record, the leader of that cadre, the owner of a problem)
    users: tuple = ()
    # reached through an enterprise grant, the record is for reading only: a project that a
    # cadre's enterprise owns is the zone's project, not the cadre's (nor the enterprise's) to change
    enterprise_read_only: bool = False

    @classmethod
    def child_of(cls, field: str, parent) -> "ScopeSpec":
        """The scope of a record that is part of a `parent` record (a project's milestones): it
        is reached as its parent is, through `field`, and the parent's permissions govern it."""
        spec, label = parent.SCOPE, parent._meta.label_lower

        def through(lookup):
            if lookup is None:
                return None
            return field if lookup == "pk" else f"{field}__{lookup}"

        return cls(
            org_path=through(spec.org_path),
            enterprise=through(spec.enterprise),
            permission_model=spec.permission_model or label,
            assigned={label: field, **{kind: through(lookup) for kind, lookup in spec.assigned.items()}},
            users=tuple(through(lookup) for lookup in spec.users),
            enterprise_read_only=spec.enterprise_read_only,
        )


ALL = object()


def governing_model(model) -> tuple[str, str]:
    """(app_label, model_name) of the model whose permissions govern `model`."""
    spec = getattr(model, "SCOPE", None)
    if spec and spec.permission_model:
        app_label, model_name = spec.permission_model.split(".")
        return app_label, model_name
    return model._meta.app_label, model._meta.model_name


def permission_name(model, action: str) -> str:
    app_label, model_name = governing_model(model)
    return f"{app_label}.{action}_{model_name}"


def subtree_q(lookup: str, path: str, include_unassigned: bool) -> Q:
    q = Q(**{f"{lookup}__startswith": path})
    if include_unassigned:
        q |= Q(**{f"{lookup}__isnull": True}) | Q(**{lookup: ""})
    return q


def grant_q(grant, model, action: str = "view"):
    """The rows of `model` that one grant reaches by its own scope for `action`: ALL, a Q, or
    None (nothing). (The rows a user reaches as the person named on them are added by
    `restrict`, see `own_q`.)"""
    spec = getattr(model, "SCOPE", None)
    if spec is None or grant.is_global:
        return ALL
    if grant.enterprise_id and spec.enterprise_read_only and action != "view":
        return None
    return _grant_reach(grant, model, spec)


def own_q(model, lookups, user_id) -> Q | None:
    """The rows of `model` on which `lookups` name the user (the cadre who wrote a daily record,
    that cadre's leader, a problem's owner), or None.

    Where a lookup passes through a foreign key, the few related rows (the user's own cadre
    record, the cadres they lead) are found first, so the condition becomes `fk IN (ids)`: an
    index scan that the database can OR with the subtree's, where a subquery would make it read
    the whole table; a user who is no such person adds no condition at all. A lookup through a
    to-many relation (an activity's cadres) stays a subquery on the pk, so it cannot repeat rows."""
    direct, through_many, hops = Q(), Q(), {}
    for lookup in lookups:
        hop, _, rest = lookup.partition("__")
        field = model._meta.get_field(hop)
        if not rest:
            direct |= Q(**{lookup: user_id})
        elif field.many_to_one or (field.one_to_one and field.concrete):
            hops.setdefault(hop, []).append(rest)
        else:
            through_many |= Q(**{lookup: user_id})
    parts = [direct] if direct else []
    for hop, rests in hops.items():
        related = model._meta.get_field(hop).related_model
        ids = list(related._base_manager.filter(_any_of(rests, user_id)).values_list("pk", flat=True))
        if ids:
            parts.append(Q(**{f"{hop}__in": ids}))
    if through_many:
        parts.append(Q(pk__in=model._base_manager.filter(through_many).values("pk")))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _any_of(lookups, value) -> Q:
    q = Q()
    for lookup in lookups:
        q |= Q(**{lookup: value})
    return q


def _grant_reach(grant, model, spec):
    if grant.organization_id:
        if not spec.org_path:
            return None
        org = grant.organization
        return subtree_q(spec.org_path, org.path, include_unassigned=org.depth == 1)
    if grant.enterprise_id:
        if not spec.enterprise:
            return None
        return Q(**{spec.enterprise: grant.enterprise_id})
    if grant.content_type_id:
        label = f"{grant.content_type.app_label}.{grant.content_type.model}"
        if label == f"{model._meta.app_label}.{model._meta.model_name}":
            return Q(pk=grant.object_id)
        lookup = spec.assigned.get(label)
        return Q(**{lookup: grant.object_id}) if lookup else None
    return None


def restrict(user, queryset, action: str = "view"):
    """`queryset` (or a model) narrowed to what `user` may `action` (view/add/change/delete)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    model = queryset.model
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    from dangjian.accounts.backends import active_grants

    perm = permission_name(model, action)
    combined, permitted = None, False
    for grant in active_grants(user):
        if perm not in grant.permission_names:
            continue
        permitted = True
        q = grant_q(grant, model, action)
        if q is ALL:
            return queryset
        if q is None:
            continue
        combined = q if combined is None else combined | q
    spec = getattr(model, "SCOPE", None)
    if permitted and spec is not None and spec.users:
        own = own_q(model, spec.users, user.pk)
        if own is not None:
            combined = own if combined is None else combined | own
    if combined is None:
        return queryset.none()
    return queryset.filter(combined)


def in_scope(user, instance, action: str = "view") -> bool:
    """Whether the stored `instance` is within `user`'s scope for `action`."""
    return restrict(user, type(instance)._default_manager.filter(pk=instance.pk), action).exists()


def ensure_in_scope(user, instance, action: str = "change"):
    """Raise PermissionDenied unless the saved `instance` is within `user`'s scope for `action`.

    Called inside the writing transaction, after the save, so nothing can be created or moved
    outside the user's scope. `user=None` is the system itself (migrations, commands without
    --user, the demo loader).
    """
    if user is None:
        return
    if not in_scope(user, instance, action):
        raise PermissionDenied(OUT_OF_SCOPE)


def out_of_scope(user, instances, action: str = "change") -> set:
    """The pks of the saved `instances` (of one model) outside `user`'s scope for `action`, in
    one query: `ensure_in_scope` for records written together (a ledger's batch)."""
    if user is None or not instances:
        return set()
    model = type(instances[0])
    pks = {instance.pk for instance in instances}
    inside = restrict(user, model._default_manager.filter(pk__in=pks), action).values_list("pk", flat=True)
    return pks - set(inside)
