"""Writes of cadres: a cadre and their user account, and assignments (包抓) to projects and
enterprises, each carrying the grant that gives the cadre that scope."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import Grant, Role, User
from dangjian.core.scope import ensure_in_scope, restrict
from dangjian.core.services import assign, save_checked, service
from dangjian.core.validators import normalize_phone

from .models import Assignment, Cadre

CADRE_FORM_FIELDS = ("name", "birth_date", "title", "phone", "organization", "leader", "is_active")


# -- cadres -----------------------------------------------------------------------------------------
LOGIN_PREFIX = "gb"  # 干部


def next_login_name(users=None, prefix: str = LOGIN_PREFIX) -> str:
    """A new account's login name: the prefix (gb for a cadre) and the next number, gb0001,
    gb0002, … in order, never the phone number (a phone is personal data and may be known to
    anyone). `users`: the user model (a migration's)."""
    users = users or User
    # zone-wide on purpose: a login name is unique in the whole installation
    taken = users.objects.filter(username__regex=rf"^{prefix}[0-9]+$").values_list("username", flat=True)
    number = max((int(name[len(prefix) :]) for name in taken), default=0) + 1
    return f"{prefix}{number:04d}"


@service
def cadre_save(*, actor, instance: Cadre | None = None, birth_month_only=False, **fields) -> Cadre:
    """A cadre and their user account (login name: `next_login_name`, not the phone; the system
    administrator sets the password). Grants come from the cadre's assignments."""
    cadre = instance or Cadre()
    if instance is not None:
        ensure_in_scope(actor, cadre, "change")
    assign(cadre, fields, CADRE_FORM_FIELDS)
    cadre.birth_month_only = birth_month_only
    try:
        cadre.phone = normalize_phone(cadre.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    cadre.refresh_hash()
    # zone-wide on purpose: a cadre is one person in the whole installation
    clash = Cadre.objects.filter(name=cadre.name, phone_hash=cadre.phone_hash).exclude(pk=cadre.pk).first()
    if clash is not None:
        raise ValidationError({"phone": f"已有同名同手机号码的干部“{clash.name}”"})
    if cadre.user_id is None:
        user = User(username=next_login_name(), full_name=cadre.name, title=cadre.title)
        user.set_unusable_password()
        user.save()
        cadre.user = user
    else:
        user = cadre.user
        if (user.full_name, user.title, user.is_active) != (cadre.name, cadre.title, cadre.is_active):
            user.full_name, user.title, user.is_active = cadre.name, cadre.title, cadre.is_active
            user.save(update_fields=["full_name", "title", "is_active"])
    return save_checked(
        cadre, actor=actor, action="change" if instance else "add", exclude=["user", "phone_hash"]
    )


# -- assignments --------------------------------------------------------------------------------------
def _grant_for(assignment: Assignment):
    role = Role.objects.get(code="cadre")
    grant = assignment.grant or Grant(user=assignment.cadre.user, role=role)
    if assignment.project_id:
        grant.content_type = ContentType.objects.get_for_model(
            Assignment._meta.get_field("project").related_model
        )
        grant.object_id = assignment.project_id
    else:
        grant.enterprise_id = assignment.enterprise_id
    grant.valid_from = assignment.start_on or datetime.date(2000, 1, 1)
    grant.valid_until = assignment.end_on
    grant.note = "包抓关系自动授权"
    grant.full_clean()
    grant.save()
    if assignment.grant_id != grant.pk:
        assignment.grant = grant
        assignment.save(update_fields=["grant"])


def _ensure_may_assign(actor, cadre_ids):
    """Who is in charge is set by those who keep the cadres (the zone), never by a cadre: the
    actor must be able to change every cadre the change starts or ends."""
    if actor is None or not cadre_ids:
        return
    if restrict(actor, Cadre.objects.filter(pk__in=cadre_ids), "change").count() < len(cadre_ids):
        raise PermissionDenied("包抓干部由党工委设置：您不能设置或撤销包抓干部")


@service
def assignment_set(
    *, actor, cadres: list, project=None, enterprise=None, on: datetime.date | None = None
) -> list[Assignment]:
    """The cadres in charge of a project or an enterprise from now on; the first is the lead.
    Cadres no longer listed stop the day before `on` (today); new ones start on `on`, or have
    no known start when `on` is None (a ledger states the present)."""
    target = project or enterprise
    if (project is None) == (enterprise is None):
        raise ValidationError("包抓对象应为一个项目或一家企业")
    ensure_in_scope(actor, target, "change")
    if len(set(c.pk for c in cadres)) != len(cadres):
        raise ValidationError({"cadres": "包抓干部有重复"})
    today = timezone.localdate()
    filters = {"project": project} if project else {"enterprise": enterprise}
    current = {a.cadre_id: a for a in Assignment.objects.filter(end_on__isnull=True, **filters)}
    wanted = [c.pk for c in cadres]
    _ensure_may_assign(actor, {*current, *wanted})
    for cadre_id, assignment in current.items():
        if cadre_id not in wanted:
            end = (on or today) - datetime.timedelta(days=1)
            assignment.end_on = max(end, assignment.start_on) if assignment.start_on else end
            assignment.is_lead = False
            assignment.save(update_fields=["end_on", "is_lead"])
            _grant_for(assignment)
    result = []
    for index, cadre in enumerate(cadres):
        assignment = current.get(cadre.pk) or Assignment(cadre=cadre, start_on=on, **filters)
        assignment.is_lead = index == 0
        assignment.full_clean(exclude=["grant"])
        assignment.save()
        _grant_for(assignment)
        result.append(assignment)
    return result


# -- daily records --------------------------------------------------------------------------------------
def assignments_on(day: datetime.date) -> Q:
    """Assignments in force on `day` (no known start counts as always)."""
    return (Q(start_on__isnull=True) | Q(start_on__lte=day)) & (Q(end_on__isnull=True) | Q(end_on__gte=day))


def assigned_targets(cadre: Cadre, day: datetime.date):
    """The ids of the projects and enterprises the cadre was in charge of on `day`."""
    assignments = list(cadre.assignments.filter(assignments_on(day)))
    return {a.project_id for a in assignments if a.project_id}, {
        a.enterprise_id for a in assignments if a.enterprise_id
    }
