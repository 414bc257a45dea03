"""Talent and innovation records for tests, through the services."""

import datetime

from dangjian.talent import services
from dangjian.talent.models import InnovationKind, PlatformKind, PlatformLevel, TalentCategory


def talent(
    name="张三", *, intake_on=datetime.date(2025, 3, 1), category=TalentCategory.YOUNG, actor=None, **fields
):
    return services.talent_save(actor=actor, name=name, intake_on=intake_on, category=category, **fields)


def platform(
    name="商洛现代中药研发中心", *, kind=PlatformKind.RESEARCH, level=PlatformLevel.PROVINCIAL, **fields
):
    return services.platform_save(actor=None, name=name, kind=kind, level=level, **fields)


def innovation(
    name="一种中药提取工艺",
    *,
    kind=InnovationKind.PATENT,
    dated_on=datetime.date(2025, 6, 1),
    actor=None,
    **fields,
):
    return services.innovation_save(actor=actor, name=name, kind=kind, dated_on=dated_on, **fields)
