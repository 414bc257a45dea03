"""组织预警: what is wrong with an organization now (its setup, overdue elections, and what the
other apps add: overdue meetings and duty items, development steps past their limit, unpaid
dues). Each app declares its groups and providers in its own warnings.py; a provider takes a
queryset of organizations and today's date and returns OrgWarnings, and names the models whose
writes change what it finds (`watches`).

The warnings are stored per organization (models.OrganizationWarning): `services.refresh_warnings`
runs the providers and replaces the stored rows; the writes to the watched models refresh their
organizations once, when their transaction commits (`signals`), and the daily job refreshes every
organization (a term runs out, a month ends). The pages read the stored rows through the scope."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from dangjian.core.registry import app_label_of, discover, installed
from dangjian.core.validators import add_years

from .models import TERM_YEARS, OrganizationWarning, PartyOrganization
from .selectors import warning_rows

# who may see warnings: those who see organizations
WARNINGS_PERMISSION = "organizations.view_partyorganization"


@dataclass(frozen=True)
class WarningGroup:
    key: str
    label: str
    order: int
    app: str = ""


# A watched model's write that changes every organization's warnings (a rule's new version)
EVERY_ORGANIZATION = object()


@dataclass(frozen=True)
class WarningProvider:
    group: str
    provide: Callable
    app: str = ""
    # model label → how to find the organizations a saved or deleted row of it concerns: a lookup
    # from the row to an organization id ("organization_id", "duty_list__organization_id"), or a
    # function (row) → organization ids or EVERY_ORGANIZATION
    watches: dict = field(default_factory=dict)


_groups: dict[str, WarningGroup] = {}
_providers: dict[str, WarningProvider] = {}


def warning_group(key: str, label: str, *, order: int, module: str):
    """A group of warnings, for filtering and counting (组织设置与换届, 组织生活, …)."""
    _groups[key] = WarningGroup(key, label, order, app_label_of(module))


def warning_provider(group: str, *, watches: dict | None = None):
    """Register a function (organizations, today) -> [OrgWarning] whose warnings are of `group`;
    `watches` names the models whose writes change them and how a row finds its organizations
    (see WarningProvider.watches): those writes refresh the stored warnings."""

    def decorator(func):
        name = f"{func.__module__}.{func.__name__}"
        _providers[name] = WarningProvider(group, func, app_label_of(func.__module__), dict(watches or {}))
        return func

    return decorator


def rule_versions(*keys: str):
    """The finder for `core.RuleSet` in `watches`: a new or changed version of one of these rules
    changes every organization's warnings."""

    def finder(rule):
        return EVERY_ORGANIZATION if rule.key in keys else ()

    return finder


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


def watched_models() -> dict[str, list]:
    """model label → the ways its rows find their organizations, over every installed provider."""
    found: dict[str, list] = {}
    for provider in warning_providers():
        for label, finder in provider.watches.items():
            if finder not in found.setdefault(label, []):
                found[label].append(finder)
    return found


def compute_warnings(organizations, today) -> list[OrgWarning]:
    """What every provider finds today for the organizations of the queryset that exist today
    (not dissolved by today), ordered by organization and code: what is stored."""
    base = organizations.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    warnings = []
    for provider in warning_providers():
        for warning in provider.provide(base, today):
            warning.group = provider.group
            warnings.append(warning)
    warnings.sort(key=lambda w: (w.organization.path, w.code))
    return warnings


def _as_warning(row: OrganizationWarning) -> OrgWarning:
    return OrgWarning(row.organization, row.code, row.message, row.group)


def organization_warnings(*, user, organizations=None) -> list[OrgWarning]:
    """The stored warnings of the organizations in the user's scope (or of the given queryset of
    organizations, whoever asks), ordered by organization and code. A page or a count reads
    `selectors.warning_rows` / `selectors.warning_counts` instead of the whole list."""
    return [_as_warning(row) for row in warning_rows(user=user, organizations=organizations)]


warning_group("setup", "组织设置与换届", order=10, module=__name__)


@warning_provider("setup", watches={"organizations.PartyOrganization": "pk"})
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
