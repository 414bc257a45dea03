"""Writes to the member roster: create, change, moves between organizations (with history),
leaving, and revealing personal data."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.audit.bulk import bulk_insert
from dangjian.audit.services import audit_created, audit_reveal
from dangjian.core.scope import OUT_OF_SCOPE, ensure_in_scope, in_scope, out_of_scope
from dangjian.core.services import assign, service
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.organizations.services import warnings_of_written

from ..models import Member, Membership

# What a person edits (in this order on forms and in the API); imports also set the month flags.
MEMBER_FORM_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "regularized_on",
    "probation_extended",
    "party_group",
    "position",
    "phone",
    "status",
    "is_mobile",
)
MEMBER_FIELDS = (*MEMBER_FORM_FIELDS, "joined_month_only", "regularized_month_only")


def check_organization(organization: PartyOrganization, *, on: datetime.date, field="organization"):
    if organization is None:
        raise ValidationError({field: "请选择所在党组织"})
    if not organization.can_hold_members:
        raise ValidationError(
            {
                field: f"“{organization.name}”是{organization.get_kind_display()}，不能直接管理党员（党工委、党小组除外的组织才可以）"
            }
        )
    if organization.is_dissolved(on):
        raise ValidationError(
            {field: f"“{organization.name}”已于 {organization.dissolved_on:%Y-%m-%d} 撤销，不能接收党员"}
        )


def check_party_group(member: Member):
    group = member.party_group
    if group is None:
        return
    if group.kind != OrgKind.PARTY_GROUP:
        raise ValidationError({"party_group": f"“{group.name}”不是党小组"})
    if group.depth != member.organization.depth + 1 or not group.path.startswith(member.organization.path):
        raise ValidationError({"party_group": f"党小组“{group.name}”不属于“{member.organization.name}”"})


def _check(member: Member, *, exclude=()):
    """The checks of a roster entry by itself (its party group, the model's rules), and its hashes."""
    check_party_group(member)
    member.full_clean(exclude=["org_path", "id_number_hash", *exclude])
    member.refresh_hashes()


def _already_registered(duplicate: Member) -> ValidationError:
    return ValidationError(
        {"id_number": f"该公民身份号码已登记（{duplicate.name}，{duplicate.organization}）"}
    )


def _save(member: Member, *, actor, action):
    # zone-wide on purpose: an ID number is one member in the whole installation
    duplicate = Member.objects.filter(id_number_hash=member.id_number_hash).exclude(pk=member.pk).first()
    if duplicate is not None:
        raise _already_registered(duplicate)
    member.save()
    ensure_in_scope(actor, member, action)
    return member


def _finish(member: Member, *, actor, action):
    _check(member)
    return _save(member, actor=actor, action=action)


def member_new(
    *, organization: PartyOrganization, on: datetime.date, references_read=False, **fields
) -> Member:
    """A new roster entry in `organization` from `on`, checked as `member_create` checks it
    (the organization, the party group, the model's rules) but not saved. `references_read`: the
    organization and the party group are records the caller has just read, so the check that
    they exist is not asked of the database again (a ledger's batch)."""
    member = Member(organization=organization)
    assign(member, fields, MEMBER_FIELDS)
    check_organization(organization, on=on)
    _check(member, exclude=("organization", "party_group") if references_read else ())
    return member


@service
def member_create(
    *, actor, organization: PartyOrganization, transferred_in_on: datetime.date | None = None, **fields
) -> Member:
    """A new roster entry. Without `transferred_in_on` the member's stay in the organization has
    no known start (it counts from 入党日期); with it, the member came from outside on that day."""
    member = member_new(organization=organization, on=transferred_in_on or timezone.localdate(), **fields)
    _save(member, actor=actor, action="add")
    if transferred_in_on is not None and transferred_in_on < member.joined_on:
        raise ValidationError({"transferred_in_on": "转入日期不能早于入党日期"})
    Membership.objects.create(member=member, **_first_stay(member, transferred_in_on))
    return member


def _first_stay(member: Member, transferred_in_on=None) -> dict:
    return {
        "organization": member.organization,
        "valid_from": transferred_in_on or member.joined_on,
        "start_known": transferred_in_on is not None,
        "reason": Membership.Reason.TRANSFER_IN if transferred_in_on else Membership.Reason.INITIAL,
    }


class _OutOfScope(Exception):
    def __init__(self, pks):
        self.pks = pks


@service
def member_create_many(*, actor, members: list[Member]) -> dict[int, Exception]:
    """New roster entries (each made by `member_new`) written together: the members, their
    first stays and their audit entries in a few inserts. Each is checked as `member_create`
    checks it after its own checks — the ID number not yet registered (nor earlier in `members`),
    the saved entry within `actor`'s scope — and one that fails is not written. Returns
    {index in `members`: the error} for those; the others are written."""
    failures: dict[int, Exception] = {}
    # zone-wide on purpose: an ID number is one member in the whole installation
    taken = {
        m.id_number_hash: m
        for m in Member.objects.filter(id_number_hash__in={m.id_number_hash for m in members}).select_related(
            "organization"
        )
    }
    writable = []
    for index, member in enumerate(members):
        duplicate = taken.get(member.id_number_hash)
        if duplicate is not None:
            failures[index] = _already_registered(duplicate)
            continue
        taken[member.id_number_hash] = member
        writable.append((index, member))
    while writable:
        try:
            with transaction.atomic():
                stays = _write_members([m for _, m in writable])
                outside = out_of_scope(actor, [m for _, m in writable], "add")
                if outside:
                    raise _OutOfScope(outside)
        except _OutOfScope as exc:
            for index, member in writable:  # written in the undone savepoint: to be written again
                if member.pk in exc.pks:
                    failures[index] = PermissionDenied(OUT_OF_SCOPE)
                member.pk, member._state.adding = None, True
            writable = [(i, m) for i, m in writable if i not in failures]
            continue
        written = [m for _, m in writable]
        audit_created([record for pair in zip(written, stays, strict=True) for record in pair])
        warnings_of_written(written)  # as the members' saves would
        warnings_of_written(stays)
        break
    return failures


def _write_members(members: list[Member]) -> list[Membership]:
    for member in members:
        member.org_path = member.organization_path()  # what save() keeps; bulk_create does not call it
    bulk_insert(Member, members)
    stays = [Membership(member=member, **_first_stay(member)) for member in members]
    for stay in stays:
        stay.org_path = stay.organization_path()
    bulk_insert(Membership, stays)
    return stays


@service
def member_update(*, actor, member: Member, **fields) -> Member:
    """Change roster fields. The organization changes only through `member_transfer`."""
    ensure_in_scope(actor, member, "change")
    assign(member, fields, MEMBER_FIELDS)
    _finish(member, actor=actor, action="change")
    first = member.memberships.order_by("valid_from", "id").first()
    if first is not None and first.start_known and member.joined_on > first.valid_from:
        raise ValidationError({"joined_on": f"入党日期不能晚于转入日期 {first.valid_from:%Y-%m-%d}"})
    if first is not None and not first.start_known and first.valid_from != member.joined_on:
        if first.valid_until is not None and member.joined_on > first.valid_until:
            moved_on = first.valid_until + datetime.timedelta(days=1)
            raise ValidationError({"joined_on": f"入党日期应早于首次组织关系转接日期 {moved_on:%Y-%m-%d}"})
        first.valid_from = member.joined_on
        first.save(update_fields=["valid_from"])
    return member


@service
def member_transfer(
    *, actor, member: Member, to: PartyOrganization, on: datetime.date, note: str = "", party_group=None
) -> Member:
    """组织关系转接 within the installation: from `on` the member belongs to `to`. A correction
    made on the day the current stay began replaces that stay's organization instead."""
    ensure_in_scope(actor, member, "change")
    if member.left_on is not None:
        raise ValidationError({"organization": f"{member.name}已于 {member.left_on:%Y-%m-%d} 离开，不能转接"})
    if on is None:
        raise ValidationError({"on": "请填写转接日期"})
    if on > timezone.localdate():
        raise ValidationError({"on": "转接日期不能晚于今天"})
    check_organization(to, on=on)
    if to.pk == member.organization_id:
        raise ValidationError({"organization": f"{member.name}已在“{to.name}”"})
    current = member.memberships.filter(valid_until__isnull=True).order_by("-valid_from").first()
    if current is not None and on < current.valid_from:
        raise ValidationError({"on": f"转接日期不能早于本次组织关系开始日期 {current.valid_from:%Y-%m-%d}"})
    if current is not None and on == current.valid_from:
        # nothing of the current stay would remain (for a stay of unknown start, valid_from is
        # 入党日期): correct its organization instead of leaving an empty, inverted stay
        current.organization = to
        current.note = (current.note + "；" if current.note else "") + "当日更正组织"
        current.save()
    else:
        if current is not None:
            current.valid_until = on - datetime.timedelta(days=1)
            current.save(update_fields=["valid_until"])
        Membership.objects.create(
            member=member,
            organization=to,
            valid_from=on,
            start_known=True,
            reason=Membership.Reason.TRANSFER,
            note=note,
        )
    member.organization = to
    member.party_group = party_group
    return _finish(member, actor=actor, action="change")


@service
def member_leave(*, actor, member: Member, on: datetime.date, reason: str) -> Member:
    """The member leaves the installation (转出 to an organization outside it, death, …). They
    count up to and including `on`."""
    ensure_in_scope(actor, member, "change")
    if on is None or on > timezone.localdate():
        raise ValidationError({"left_on": "请填写离开日期（不能晚于今天）"})
    if not reason:
        raise ValidationError({"leave_reason": "请填写离开原因"})
    current = member.memberships.filter(valid_until__isnull=True).first()
    if current is not None:
        if on < current.valid_from:
            raise ValidationError({"left_on": f"离开日期不能早于 {current.valid_from:%Y-%m-%d}"})
        current.valid_until = on
        current.save(update_fields=["valid_until"])
    member.left_on, member.leave_reason = on, reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    return member


@service
def member_delete(*, actor, member: Member):
    ensure_in_scope(actor, member, "delete")
    member.delete()


def member_reveal(*, actor, member: Member, purpose: str = "") -> dict:
    """The full ID and phone numbers, for a user with the permission, logged."""
    if not actor.has_perm("members.reveal_personal_data"):
        raise PermissionDenied("您没有查看完整身份证号和手机号码的权限")
    if not in_scope(actor, member, "view"):
        raise PermissionDenied("超出您的数据授权范围")
    audit_reveal(user=actor, obj=member, fields=["公民身份号码", "手机号码"], purpose=purpose)
    return {"id_number": member.id_number, "phone": member.phone}


def members_by_id_number(id_numbers) -> dict:
    """{normalized ID number: member} for the members registered with these (normalized) ID
    numbers, in one query (a ledger's batch)."""
    from dangjian.core.crypto import keyed_hash

    by_hash = {keyed_hash(number): number for number in id_numbers}
    return {by_hash[m.id_number_hash]: m for m in Member.objects.filter(id_number_hash__in=by_hash)}


def find_by_id_number(id_number: str):
    """The member with this ID number, however it is written (lower-case x, full-width digits,
    spaces): the stored hash is of the normalized number. None for an invalid number."""
    from dangjian.core.crypto import keyed_hash
    from dangjian.core.validators import normalize_id_number

    try:
        id_number = normalize_id_number(id_number)
    except ValidationError:
        return None
    return Member.objects.filter(id_number_hash=keyed_hash(id_number)).first()


__all__ = [
    "MEMBER_FIELDS",
    "MEMBER_FORM_FIELDS",
    "check_organization",
    "check_party_group",
    "find_by_id_number",
    "member_create",
    "member_create_many",
    "member_delete",
    "member_leave",
    "member_new",
    "member_reveal",
    "member_transfer",
    "member_update",
    "members_by_id_number",
]
