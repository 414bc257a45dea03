"""组织预警: what is wrong with an organization now (its setup, overdue elections, and what the
other apps add: overdue meetings and duty items, development steps past their limit, unpaid
dues). Each app declares its groups and providers in its own warnings.py; a provider takes a
queryset of organizations and today's date and returns OrgWarnings."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from dangjian.core.registry import app_label_of, discover, installed
from dangjian.core.validators import add_years

from .models import TERM_YEARS, PartyOrganization
from .selectors import organization_list

# who may see warnings: those who see organizations
WARNINGS_PERMISSION = "organizations.view_partyorganization"


@dataclass(frozen=True)
class WarningGroup:
    key: str
    label: str
    order: int
    app: str = ""


@dataclass(frozen=True)
class WarningProvider:
    group: str
    provide: Callable
    app: str = ""


_groups: dict[str, WarningGroup] = {}
_providers: dict[str, WarningProvider] = {}


def warning_group(key: str, label: str, *, order: int, module: str):
    """A group of warnings, for filtering and counting (组织设置与换届, 组织生活, …)."""
    _groups[key] = WarningGroup(key, label, order, app_label_of(module))


def warning_provider(group: str):
    """Register a function (organizations, today) -> [OrgWarning] whose warnings are of `group`."""

    def decorator(func):
        name = f"{func.__module__}.{func.__name__}"
        _providers[name] = WarningProvider(group, func, app_label_of(func.__module__))
        return func

    return decorator


def warning_groups() -> dict[str, str]:
    """key → label of every group, in order."""
    discover("warnings")
    return {g.key: g.label for g in sorted(installed(_groups.values()), key=lambda g: (g.order, g.key))}


def warning_providers() -> list[WarningProvider]:
    discover("warnings")
    return installed(_providers.values())


@dataclass
class OrgWarning:
    organization: PartyOrganization
    code: str
    message: str
    group: str = ""

    @property
    def group_label(self) -> str:
        return warning_groups().get(self.group, self.group)


def organization_warnings(*, user, organizations=None) -> list[OrgWarning]:
    """Every warning for the organizations in the user's scope (or the given queryset) that
    exist today, ordered by organization and code."""
    today = timezone.localdate()
    base = organizations if organizations is not None else organization_list(user=user)
    base = base.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    warnings = []
    for provider in warning_providers():
        for warning in provider.provide(base, today):
            warning.group = provider.group
            warnings.append(warning)
    warnings.sort(key=lambda w: (w.organization.path, w.code))
    return warnings


warning_group("setup", "组织设置与换届", order=10, module=__name__)


@warning_provider("setup")
def election_warnings(organizations, today):
    """Organizations whose term has run out without an election."""
    overdue = Q()
    for kind, years in TERM_YEARS.items():
        overdue |= Q(kind=kind, term_started_on__lte=add_years(today, -years))
    warnings = []
    for org in organizations.filter(overdue):
        due = org.next_election_due
        if due is not None and due < today:
            warnings.append(
                OrgWarning(org, "election_overdue", f"换届逾期：本届任期应于 {due:%Y-%m-%d} 届满")
            )
    return warnings
