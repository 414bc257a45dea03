"""招商人员 (investment_people), 招商活动 (investment_events) and 招商项目 (investment_projects)
ledgers — LEDGERS.md. The teams are defined by the people's ledger (a team it names that is not
yet recorded is created); the events name existing teams; a project's stage, 签约日期 and 到位资金
are the present the ledger states (services.project_import_state)."""

from decimal import Decimal
from functools import partial

from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.utils import timezone

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    Column,
    Ledger,
    RowError,
    changed_fields,
    choice_label,
    lookup,
    register,
)
from dangjian.enterprises.models import IndustryCluster

from . import services
from .models import (
    EventForm,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Stage,
    Team,
)

money = partial(cells.parse_decimal, places=6, unit="万元", min_value=Decimal(0))

# what real files write for a 身份
ROLE_ALIASES = {
    "大使": PersonRole.AMBASSADOR.label,
    "顾问": PersonRole.ADVISOR.label,
    "队员": PersonRole.MEMBER.label,
    "小分队成员": PersonRole.MEMBER.label,
    "队长": PersonRole.LEADER.label,
}

STAGE_ALIASES = {
    f"已{stage.label}": stage.label
    for stage in (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.TERMINATED)
} | {"洽谈中": Stage.NEGOTIATING.label}

# the people as the ledger lists them: 招商大使, 招商顾问, then each team's leader and members
ROLE_ORDER = Case(
    *(
        When(role=role, then=Value(index))
        for index, role in enumerate(
            (PersonRole.AMBASSADOR, PersonRole.ADVISOR, PersonRole.LEADER, PersonRole.MEMBER)
        )
    ),
    output_field=IntegerField(),
)


def team_by_name(state, name, column="team"):
    """The one 招商小分队 of this name (zone-wide on purpose: a team's name is unique in the
    zone); a row error otherwise."""
    return lookup(state, Team.objects.filter(name=name), what="招商小分队", value=name, column=column)


def _blank(values: dict, *names):
    for name in names:
        if name in values and values[name] is None:
            values[name] = ""


@register
class PeopleLedger(Ledger):
    name = "investment_people"
    title = "招商人员"
    model = InvestmentPerson
    key_columns = ("name", "role")
    record_columns = ("name", "role")
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column(
            "身份",
            "role",
            required=True,
            parse=partial(cells.parse_choice, choices=PersonRole, aliases=ROLE_ALIASES),
            note="也可写 大使、顾问、队员、队长",
        ),
        Column(
            "招商小分队",
            "team",
            ("小分队",),
            parse=partial(cells.text, max_length=100),
            note="小分队队员、队长必填，招商大使、顾问留空；系统中还没有的小分队按此名称新建",
        ),
        Column("聘任日期", "appointed_on", parse=cells.parse_date),
    ]

    def _team(self, name, actor):
        """The team of this name, created when it is not yet recorded (not cached: a team made
        for a row that fails goes with the row)."""
        # zone-wide on purpose: a team's name is unique in the zone; this ledger defines the teams
        team = Team.objects.filter(name=name).first()
        return team if team is not None else services.team_save(actor=actor, name=name)

    def apply(self, values, *, actor, state):
        fields = {"name": values["name"], "role": values["role"]}
        if "team" in values:
            fields["team"] = self._team(values["team"], actor) if values["team"] else None
        if "appointed_on" in values:
            fields["appointed_on"] = values["appointed_on"]
        # zone-wide on purpose: one person holds one role once at a time (the key of this ledger)
        existing = InvestmentPerson.objects.filter(
            name=values["name"], role=values["role"], left_on__isnull=True
        ).first()
        if existing is None:
            services.person_save(actor=actor, **fields)
            return "created"
        changes = changed_fields(existing, fields)
        if not changes:
            return "unchanged"
        services.person_save(actor=actor, instance=existing, **changes)
        return "updated"

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .filter(left_on__isnull=True)
            .select_related("team")
            .annotate(role_order=ROLE_ORDER)
            .order_by(F("team__name").asc(nulls_first=True), "role_order", "name", "id")
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "role": choice_label(PersonRole, obj.role),
            "team": obj.team.name if obj.team_id else None,
            "appointed_on": obj.appointed_on,
        }


@register
class EventLedger(Ledger):
    name = "investment_events"
    title = "招商活动"
    model = InvestmentEvent
    key_columns = ("name", "held_on")
    record_columns = ("name", "held_on")
    columns = [
        Column("活动名称", "name", required=True, parse=partial(cells.text, max_length=200)),
        Column("日期", "held_on", ("活动日期",), required=True, parse=cells.parse_date),
        Column("城市", "city", ("地点",), parse=partial(cells.text, max_length=100)),
        Column("招商小分队", "team", ("小分队",), note="系统中已有的招商小分队名称"),
        Column(
            "活动形式",
            "form",
            parse=partial(cells.parse_choice, choices=EventForm),
            note="留空按“其他”计，不计入招商对接场次",
        ),
    ]

    def apply(self, values, *, actor, state):
        fields = {k: v for k, v in values.items() if k not in ("team", "form")}
        _blank(fields, "city")
        if "team" in values:
            fields["team"] = team_by_name(state, values["team"]) if values["team"] else None
        # zone-wide on purpose: an event is one record whoever recorded it
        existing = InvestmentEvent.objects.filter(name=values["name"], held_on=values["held_on"]).first()
        if "form" in values or existing is None:
            fields["form"] = values.get("form") or EventForm.OTHER
        if existing is None:
            services.event_save(actor=actor, **fields)
            return "created"
        changes = changed_fields(existing, fields)
        if not changes:
            return "unchanged"
        services.event_save(actor=actor, instance=existing, **changes)
        return "updated"

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("team").order_by("held_on", "id")

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "held_on": obj.held_on,
            "city": obj.city,
            "team": obj.team.name if obj.team_id else None,
            "form": choice_label(EventForm, obj.form),
        }


@register
class ProjectLedger(Ledger):
    name = "investment_projects"
    title = "招商项目"
    model = InvestmentProject
    key_columns = ("name",)
    columns = [
        Column("项目名称", "name", required=True, parse=partial(cells.text, max_length=200)),
        Column("投资方", "investor", ("投资主体",), parse=partial(cells.text, max_length=200)),
        Column("所属产业", "cluster", ("产业类别", "产业集群")),
        Column(
            "阶段",
            "stage",
            ("项目阶段",),
            required=True,
            parse=partial(cells.parse_choice, choices=Stage, aliases=STAGE_ALIASES),
            note="也可写 已签约、已开工、已投产、已终止",
        ),
        Column("签约日期", "signed_on", parse=cells.parse_date, note="阶段为签约、开工、投产时必填"),
        Column("签约金额（万元）", "signed_amount", ("协议投资（万元）",), parse=money),
        Column(
            "到位资金（万元）",
            "funds",
            parse=money,
            note="须填写签约日期；新导入的到位资金记为签约日期到位的一笔，已按笔登记到位资金的项目以登记为准",
        ),
    ]
    # a new project's 线索日期 is its 签约日期 (or the day of the import)
    field_columns = {"recorded_on": "signed_on"}

    def describe_column(self, column):
        if column.key != "cluster":
            return super().describe_column(column)
        names = IndustryCluster.objects.filter(is_active=True).values_list("name", flat=True)
        return "本区配置的产业之一：" + "、".join(names)

    def _cluster(self, state, name):
        # as the enterprises' ledger resolves its 所属产业: one of the zone's active clusters
        clusters = state.setdefault(
            "clusters", {c.name: c for c in IndustryCluster.objects.filter(is_active=True)}
        )
        if name not in clusters:
            raise RowError([("cluster", f"“{name}”不是本区配置的产业（{'、'.join(clusters)}）")])
        return clusters[name]

    def apply(self, values, *, actor, state):
        fields = {"name": values["name"]}
        if "investor" in values:
            fields["investor"] = values["investor"] or ""
        if "cluster" in values:
            fields["cluster"] = self._cluster(state, values["cluster"]) if values["cluster"] else None
        signed_on = values.get("signed_on")
        funds = values.get("funds")
        # zone-wide on purpose: a project's name is unique in the zone (the key of this ledger)
        existing = InvestmentProject.objects.filter(name=values["name"]).first()
        if existing is None:
            project = services.project_save(
                actor=actor, recorded_on=signed_on or timezone.localdate(), **fields
            )
            status = "created"
        else:
            project, status = existing, "unchanged"
            if funds is not None and project.tranches.exists() and funds != project.funds_total:
                raise RowError(
                    [
                        (
                            "funds",
                            f"项目已按笔登记到位资金（合计 {project.funds_total.normalize():f} 万元），"
                            "台账不能改动；请在项目页登记或更正到位资金",
                        )
                    ]
                )
            if signed_on and signed_on < existing.recorded_on:
                # a lead comes before its signing: the 线索日期 (the import day, for a lead the
                # ledger brought in before) moves back to the 签约日期 the ledger now states
                fields["recorded_on"] = signed_on
            changes = changed_fields(existing, fields)
            if changes:
                project = services.project_save(actor=actor, instance=existing, **changes)
                status = "updated"
        before = self._state(project)
        services.project_import_state(
            actor=actor,
            project=project,
            stage=values["stage"],
            signed_on=signed_on,
            signed_amount=values.get("signed_amount"),
            funds=funds,
        )
        if status == "unchanged" and self._state(project) != before:
            status = "updated"
        return status

    @staticmethod
    def _state(project):
        return (
            project.stage,
            project.signed_on,
            project.signed_amount,
            project.terminated_on,
            project.funds_total,
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("cluster").order_by("recorded_on", "id")

    def export_context(self, objects):
        totals = (
            FundTranche.objects.filter(project__in=objects)
            .order_by()
            .values_list("project_id")
            .annotate(total=Sum("amount"))
        )
        return {"funds": dict(totals)}

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "investor": obj.investor,
            "cluster": obj.cluster.name if obj.cluster_id else None,
            "stage": choice_label(Stage, obj.stage),
            "signed_on": obj.signed_on,
            "signed_amount": obj.signed_amount,
            # the project's funds_total: the sum of its tranches (none: empty)
            "funds": context["funds"].get(obj.pk),
        }
