"""Daily records (one a day, with the problems raised there) and monthly notes."""

import datetime

from django.core.exceptions import ValidationError

from dangjian.cadres.models import Cadre
from dangjian.cadres.services import assigned_targets
from dangjian.core.services import service
from dangjian.core.validators import past_day

from ..models import (
    DailyPhoto,
    DailyRecord,
    MonthlyNote,
    ProblemSource,
)
from .problems import problem_raise


@service
def daily_record_save(
    *,
    actor,
    cadre: Cadre,
    day: datetime.date,
    content: str,
    projects=(),
    enterprises=(),
    is_visit: bool = False,
    photos=(),
    problems=(),
) -> DailyRecord:
    """日纪实 for a day (one per cadre and day; saving again updates it). Projects and enterprises
    must be ones the cadre was in charge of that day. `problems` raised are dicts with
    category, description and optionally project/enterprise, deadline."""
    if actor is not None and not actor.is_superuser and cadre.user_id != actor.pk:
        raise ValidationError("只能记录自己的日纪实")
    past_day(day, "day")
    if not content or not content.strip():
        raise ValidationError({"content": "请填写当天的工作纪实"})
    my_projects, my_enterprises = assigned_targets(cadre, day)
    stray = [p.name for p in projects if p.pk not in my_projects] + [
        e.name for e in enterprises if e.pk not in my_enterprises
    ]
    if stray:
        raise ValidationError({"projects": f"{'、'.join(stray)}不是您当天包抓的项目或企业"})
    record = DailyRecord.objects.filter(cadre=cadre, day=day).first() or DailyRecord(cadre=cadre, day=day)
    record.content, record.is_visit = content.strip(), is_visit
    record.full_clean()
    record.save()
    record.projects.set(projects)
    record.enterprises.set(enterprises)
    for photo in photos:
        DailyPhoto.objects.create(record=record, file=photo, caption=getattr(photo, "name", ""))
    for raised in problems:
        problem_raise(
            actor=actor,
            source=ProblemSource.VISIT if is_visit else ProblemSource.PROJECT,
            category=raised["category"],
            description=raised["description"],
            raised_on=day,
            project=raised.get("project"),
            enterprise=raised.get("enterprise"),
            owner=cadre,
            deadline=raised.get("deadline"),
            source_record=record,
        )
    return record


@service
def monthly_note_save(*, actor, cadre: Cadre, month: datetime.date, text: str) -> MonthlyNote:
    if actor is not None and not actor.is_superuser and cadre.user_id != actor.pk:
        raise ValidationError("只能批注自己的月总结")
    note, _ = MonthlyNote.objects.update_or_create(
        cadre=cadre, month=month.replace(day=1), defaults={"text": text}
    )
    return note
