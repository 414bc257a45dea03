"""Figures about party life (INDICATORS.md), plus the compliance rate of 三会一课."""

from decimal import Decimal

from django.db.models import Sum

from dangjian.core.indicators import Part, Result, rate, register
from dangjian.organizations.models import PartyOrganization

from .models import (
    SANHUI_YIKE,
    Activity,
    ActivityKind,
    Document,
    LecturerRole,
    Meeting,
    MeetingKind,
    Training,
    TrainingKind,
)


def _count(records):
    return Result(records.count(), records)


@register("documents.issued", "印发文件数", "份", dashboard=110)
def documents_issued(ctx):
    return _count(ctx.records(Document.objects.filter(ctx.in_period("issued_on")), "org_path"))


def _meetings(ctx, *kinds):
    return ctx.records(Meeting.objects.filter(kind__in=kinds).filter(ctx.in_period("held_on")), "org_path")


@register("meetings.work_conferences", "党建工作会议次数", "次")
def work_conferences(ctx):
    return _count(_meetings(ctx, MeetingKind.WORK_CONFERENCE))


@register("meetings.theme_days", "主题党日次数", "次", dashboard=50)
def theme_days(ctx):
    return _count(_meetings(ctx, MeetingKind.THEME_DAY))


@register(
    "meetings.lectures_by_leaders",
    "领导讲党课次数",
    "次",
    description="讲课人身份为县局领导或党组织书记的党课",
)
def lectures_by_leaders(ctx):
    return _count(
        _meetings(ctx, MeetingKind.LECTURE).filter(
            lecturer_role__in=[LecturerRole.COUNTY_LEADER, LecturerRole.SECRETARY]
        )
    )


def _trainings(ctx, talent: bool):
    records = ctx.records(Training.objects.filter(ctx.in_period("start_on")), "org_path")
    return records.filter(kind=TrainingKind.TALENT) if talent else records.exclude(kind=TrainingKind.TALENT)


def _attendance(records):
    return Result(
        records.aggregate(total=Sum("attendance_count"))["total"] or 0,
        records,
        parts=(Part("参训人次", lambda training: training.attendance_count),),
    )


@register("trainings.sessions", "培训期数", "期", description="开始日期在期内的培训（不含人才培训）")
def training_sessions(ctx):
    return _count(_trainings(ctx, talent=False))


@register("trainings.attendance", "培训人次", "人次", dashboard=80)
def training_attendance(ctx):
    return _attendance(_trainings(ctx, talent=False))


@register("trainings.talent_sessions", "人才培训期数", "期")
def talent_sessions(ctx):
    return _count(_trainings(ctx, talent=True))


@register("trainings.talent_attendance", "人才培训人次", "人次")
def talent_attendance(ctx):
    return _attendance(_trainings(ctx, talent=True))


def _activities(ctx, *kinds):
    records = ctx.records(Activity.objects.filter(ctx.in_period("held_on")), "org_path")
    return records.filter(kind__in=kinds) if kinds else records


@register("activities.practice", "实践活动次数", "次")
def practice(ctx):
    return _count(_activities(ctx, ActivityKind.PRACTICE))


@register("activities.public_welfare", "公益活动次数", "次")
def public_welfare(ctx):
    return _count(_activities(ctx, ActivityKind.PUBLIC_WELFARE))


@register("activities.donations", "捐款金额", "元", description="期内活动的捐款金额合计")
def donations(ctx):
    records = _activities(ctx)
    total = records.aggregate(total=Sum("donation"))["total"]
    return Result(
        total if total is not None else Decimal(0),
        records.filter(donation__isnull=False),
        parts=(Part("捐款金额（元）", lambda activity: activity.donation),),
    )


@register("activities.entrepreneur_forums", "企业家座谈会次数", "次")
def entrepreneur_forums(ctx):
    return _count(_activities(ctx, ActivityKind.ENTREPRENEUR_FORUM))


@register("activities.business_meals", "营商环境早餐会晚餐会场次", "场")
def business_meals(ctx):
    return _count(_activities(ctx, ActivityKind.BREAKFAST, ActivityKind.DINNER))


@register("activities.site_and_finance_meetings", "项目现场会联席会银企对接会次数", "次")
def site_and_finance_meetings(ctx):
    return _count(
        _activities(ctx, ActivityKind.SITE_MEETING, ActivityKind.JOINT_MEETING, ActivityKind.BANK_ENTERPRISE)
    )


@register("activities.enterprise_visits", "深入企业活动次数", "次", dashboard=120)
def enterprise_visits(ctx):
    return _count(_activities(ctx, ActivityKind.ENTERPRISE_VISIT))


@register(
    "meetings.compliance_rate",
    "三会一课落实率",
    "%",
    description="支部党员大会、支委会、党小组会、党课：期内已到期的应开次数中已开的比例",
    dashboard=60,
)
def compliance_rate(ctx):
    from .selectors import compliance_figure

    organizations = PartyOrganization.objects.all()
    if not ctx.at_root:
        organizations = organizations.filter(path__startswith=ctx.scope.path)
    if ctx.user is not None:
        from dangjian.core.scope import restrict

        organizations = restrict(ctx.user, organizations, "view")
    # counted by the database (selectors.compliance_figure): no organization is loaded for the figure
    figure = compliance_figure(
        organizations=organizations, start=ctx.period.start, end=ctx.period.end, kinds=SANHUI_YIKE
    )
    return Result(
        rate(figure.held, figure.required),
        figure.organizations,
        detail={"required": figure.required, "held": figure.held, "rule": figure.rule.pk},
        parts=(
            Part("应开（次）", lambda org: org.required_slots),
            Part("已开（次）", lambda org: org.held_slots),
            Part("落实率（%）", lambda org: rate(org.held_slots, org.required_slots)),
        ),
    )
