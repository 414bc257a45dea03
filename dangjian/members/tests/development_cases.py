"""Development cases (发展党员) at each stage, made through the services, for the development,
pipeline and API tests."""

import datetime
import itertools

from dangjian.core.testing.codes import make_id_number
from dangjian.core.validators import add_years
from dangjian.members import services
from dangjian.members.models import DevelopmentCase
from dangjian.testing.factories import make_member

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
BIRTH = D(1995, 3, 10)

# One person's way, every step well within the rules.
APPLIED = D(2022, 3, 1)
TALKED = D(2022, 3, 20)
ACTIVIST = D(2022, 4, 1)
CANDIDATE = D(2023, 4, 1)
TRAINED = D(2023, 5, 12)
ADMITTED = D(2023, 6, 1)
APPROVED = D(2023, 7, 20)
PROBATION_DUE = D(2024, 6, 1)

STEPS = ("talked", "activist", "candidate", "trained", "admitted", "approved")
DEFAULT_DATES = {
    "applied": APPLIED,
    "talked": TALKED,
    "activist": ACTIVIST,
    "candidate": CANDIDATE,
    "trained": TRAINED,
    "admitted": ADMITTED,
    "approved": APPROVED,
}

_seq = itertools.count(300)
# a region of its own: never the number of a member made by make_member (region 611002, its own count)
REGION = "621003"


def id_for(birth=BIRTH, sex="男"):
    return make_id_number(birth, next(_seq), sex, region=REGION)


def dates_for_admission(admitted: datetime.date) -> dict:
    """A valid chain of dates that ends with an admission on `admitted` (for rules that depend
    on today)."""
    candidate = admitted - datetime.timedelta(days=30)
    activist = add_years(candidate, -1)
    applied = activist - datetime.timedelta(days=30)
    return {
        "applied": applied,
        "talked": applied + datetime.timedelta(days=10),
        "activist": activist,
        "candidate": candidate,
        "trained": admitted - datetime.timedelta(days=10),
        "admitted": admitted,
    }


def apply(organization, *, applied=APPLIED, birth=BIRTH, name="王五", actor=None, id_number=None):
    return services.development_apply(
        actor=actor,
        organization=organization,
        name=name,
        id_number=id_number or id_for(birth),
        applied_on=applied,
    )


def full_members(organization, count=2):
    return [make_member(organization) for _ in range(count)]


def reach(case, upto, *, actor=None, introducers=None, **dates):
    """Take `case` through the steps up to and including `upto` (one of STEPS), on the default
    dates unless told (talked=…, activist=…, candidate=…, trained=…, admitted=…, approved=…)."""
    when = {**DEFAULT_DATES, **dates}
    for step in STEPS[: STEPS.index(upto) + 1]:
        case = DevelopmentCase.objects.get(pk=case.pk)
        if step == "talked":
            services.development_talk(actor=actor, case=case, on=when["talked"])
        elif step == "activist":
            services.development_make_activist(actor=actor, case=case, on=when["activist"])
        elif step == "candidate":
            services.development_make_candidate(actor=actor, case=case, on=when["candidate"])
        elif step == "trained":
            services.development_record_training(actor=actor, case=case, completed_on=when["trained"], days=3)
        elif step == "admitted":
            people = introducers if introducers is not None else full_members(case.organization)
            services.development_admit(actor=actor, case=case, on=when["admitted"], introducers=people)
        elif step == "approved":
            services.development_approve(actor=actor, case=case, on=when["approved"])
    return DevelopmentCase.objects.get(pk=case.pk)


def case_at(organization, upto=None, *, actor=None, name="王五", birth=BIRTH, **dates):
    """A new case, applied on `applied` (default APPLIED) and taken up to `upto`."""
    case = apply(organization, applied=dates.get("applied", APPLIED), birth=birth, name=name, actor=actor)
    if upto is None:
        return case
    return reach(case, upto, actor=actor, **{k: v for k, v in dates.items() if k != "applied"})


def fresh(case):
    return DevelopmentCase.objects.get(pk=case.pk)
