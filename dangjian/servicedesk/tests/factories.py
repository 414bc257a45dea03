"""Enterprises with a designated cadre, their contacts, and requests taken through their steps by
the services, as the product makes them."""

import datetime
import itertools

from django.utils import timezone

from dangjian.core.models import Holiday
from dangjian.enterprises import services as enterprise_services
from dangjian.projects.tests.factories import assign
from dangjian.servicedesk import services
from dangjian.servicedesk.models import Handling, RequestCategory, RequestKind, ServiceRequest
from dangjian.testing.factories import make_user

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

_seq = itertools.count(1)


def today():
    return timezone.localdate()


def category(name="政策咨询") -> RequestCategory:
    """One of the default categories: 马上办 (1 and 5 working days), 政策咨询 (2 and 10), …"""
    return RequestCategory.objects.get(name=name)


def designate(enterprise, cadre):
    """Make `cadre` the enterprise's designated cadre (一企一人), assigned to it."""
    assign(enterprise, cadre)
    enterprise_services.enterprise_update(actor=None, enterprise=enterprise, contact_cadre=cadre.user)
    enterprise.refresh_from_db()
    return cadre


def make_contact(enterprise, **fields):
    """An enterprise contact (企业联络员) of `enterprise`."""
    user = make_user("enterprise_contact", enterprise=enterprise)
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save()
    return user


def submit(enterprise, *, on=None, kind=RequestKind.DEMAND, category=None, title=None, actor=None, **fields):
    return services.request_submit(
        actor=actor,
        enterprise=enterprise,
        title=title or f"诉求{next(_seq)}",
        kind=kind,
        category=category,
        description=fields.pop("description", "请协调解决"),
        submitted_on=on or today(),
        **fields,
    )


def accept(request, on=None, *, handling=Handling.CADRE, handler=None, actor=None):
    return services.request_accept(
        actor=actor, request=fresh(request), on=on or request.submitted_on, handling=handling, handler=handler
    )


def start(request, on=None, actor=None):
    request = fresh(request)
    return services.request_start(actor=actor, request=request, on=on or request.accepted_on)


def close(request, on=None, *, result="已协调办结", actor=None):
    request = fresh(request)
    return services.request_close(actor=actor, request=request, on=on or request.accepted_on, result=result)


def rate(request, rating=5, *, comment="", on=None, actor=None):
    request = fresh(request)
    return services.request_rate(
        actor=actor, request=request, rating=rating, comment=comment, on=on or request.closed_on
    )


def fresh(request) -> ServiceRequest:
    return ServiceRequest.objects.get(pk=request.pk)


def events(request) -> list[str]:
    return list(request.events.order_by("id").values_list("kind", flat=True))


def holiday(day, name="节假日", *, workday=False):
    return Holiday.objects.create(day=day, name=name, is_workday=workday)


def national_day_2025():
    """国庆、中秋 2025: 10月1日–8日 放假, 9月28日（周日）and 10月11日（周六）上班."""
    for offset in range(8):
        holiday(D(2025, 10, 1) + ONE_DAY * offset, "国庆节、中秋节")
    holiday(D(2025, 9, 28), "国庆节调休", workday=True)
    holiday(D(2025, 10, 11), "国庆节调休", workday=True)
