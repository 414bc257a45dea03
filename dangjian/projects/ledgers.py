"""重点项目 (projects) and 问题清单 (problems) ledgers — LEDGERS.md."""

from decimal import Decimal
from functools import partial

from dangjian.cadres.ledgers import cadre_by_name
from dangjian.cadres.models import Assignment
from dangjian.cadres.services import assignment_set
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
from dangjian.enterprises.ledgers import enterprise_by_name
from dangjian.organizations.ledgers import organization_by_name
from dangjian.organizations.models import OrgKind

from . import services
from .models import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemStatus,
    Project,
    ProjectCategory,
    ProjectStatus,
)

money = partial(cells.parse_decimal, places=6, unit="万元", min_value=Decimal(0))


@register
class ProjectLedger(Ledger):
    name = "projects"
    title = "重点项目"
    model = Project
    key_columns = ("name",)
    columns = [
        Column("项目名称", "name", required=True, parse=partial(cells.text, max_length=200)),
        Column("项目类别", "category", parse=partial(cells.parse_choice, choices=ProjectCategory)),
        Column(
            "业主单位",
            "owner_name",
            ("建设单位",),
            parse=partial(cells.text, max_length=200),
            note="企业名称或其他单位名称",
        ),
        Column("总投资（万元）", "total_investment", ("计划总投资（万元）",), required=True, parse=money),
        Column("年度计划投资（万元）", "annual_investment", parse=money),
        Column("建设状态", "status", ("项目状态",), parse=partial(cells.parse_choice, choices=ProjectStatus)),
        Column("开工日期", "started_on", parse=partial(cells.parse_date, month_ok=True)),
        Column("竣工日期", "completed_on", parse=partial(cells.parse_date, month_ok=True)),
        Column(
            "包抓干部",
            "cadres",
            ("包抓领导", "包抓人"),
            parse=cells.parse_list,
            note="干部名册中已有的干部姓名，第一位为牵头干部",
        ),
        Column("临时党支部", "temp_branch", note="系统中已有的临时党支部名称"),
    ]

    def apply(self, values, *, actor, state):
        fields = {k: v for k, v in values.items() if k not in ("cadres", "temp_branch")}
        for name in ("category", "owner_name", "status"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        if "owner_name" in fields:
            fields["owner_enterprise"] = None  # found again from the name
        if "temp_branch" in values:
            name = values["temp_branch"]
            fields["temp_branch"] = (
                organization_by_name(
                    state, name, "temp_branch", what="临时党支部", kind=OrgKind.TEMPORARY_BRANCH
                )
                if name
                else None
            )
        cadres = None
        if "cadres" in values:
            errors = []
            cadres = []
            for name in dict.fromkeys(values["cadres"]):
                try:
                    cadres.append(cadre_by_name(state, name, "cadres"))
                except RowError as exc:
                    errors.extend(message for _, message in exc.errors)
            if errors:
                raise RowError([("cadres", "；".join(errors))])
        months = {
            "started_month_only": bool(getattr(values.get("started_on"), "month_only", False)),
            "completed_month_only": bool(getattr(values.get("completed_on"), "month_only", False)),
        }
        existing = Project.objects.filter(name=values["name"]).first()
        status = "created"
        if existing is None:
            project = services.project_save(actor=actor, **months, **fields)
        else:
            if "owner_name" in fields and fields["owner_name"] == existing.owner_name:
                fields.pop("owner_name")
                fields.pop("owner_enterprise")
            changes = changed_fields(existing, fields)
            moved = any(getattr(existing, k) != v for k, v in months.items())
            status = "updated" if changes or moved else "unchanged"
            project = (
                services.project_save(actor=actor, instance=existing, **months, **changes)
                if status == ("updated")
                else existing
            )
        if cadres is not None:
            current = list(
                Assignment.objects.filter(project=project, end_on__isnull=True)
                .order_by("-is_lead", "id")
                .values_list("cadre_id", flat=True)
            )
            if current != [c.pk for c in cadres]:
                assignment_set(actor=actor, project=project, cadres=cadres, on=None)
                status = "updated" if existing is not None else status
        return status

    def export_context(self, objects):
        names = {}
        for assignment in (
            Assignment.objects.filter(project__in=objects, end_on__isnull=True)
            .select_related("cadre")
            .order_by("-is_lead", "id")
        ):
            names.setdefault(assignment.project_id, []).append(assignment.cadre.name)
        return {"cadres": names}

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "category": choice_label(ProjectCategory, obj.category),
            "owner_name": obj.owner_name,
            "total_investment": obj.total_investment,
            "annual_investment": obj.annual_investment,
            "status": choice_label(ProjectStatus, obj.status),
            "started_on": cells.format_date(obj.started_on, obj.started_month_only),
            "completed_on": cells.format_date(obj.completed_on, obj.completed_month_only),
            "cadres": "、".join(context["cadres"].get(obj.pk, [])) or None,
            "temp_branch": obj.temp_branch.name if obj.temp_branch_id else None,
        }


@register
class ProblemLedger(Ledger):
    name = "problems"
    title = "问题清单"
    model = Problem
    key_columns = ("number", "description", "raised_on")
    record_columns = ("number", "description")
    columns = [
        Column(
            "问题编号",
            "number",
            ("编号",),
            parse=partial(cells.text, max_length=50),
            note="填写时按编号匹配已有记录",
        ),
        Column(
            "问题来源",
            "source",
            ("来源",),
            required=True,
            parse=partial(cells.parse_choice, choices=ProblemSource),
        ),
        Column("关联项目", "project", ("项目名称",), note="系统中已有的项目名称"),
        Column("关联企业", "enterprise", ("企业名称",), note="系统中已有的企业名称"),
        Column(
            "问题类别",
            "category",
            ("类别",),
            required=True,
            parse=partial(cells.parse_choice, choices=ProblemCategory),
        ),
        Column("问题描述", "description", required=True),
        Column("提出日期", "raised_on", ("交办日期",), required=True, parse=cells.parse_date),
        Column("责任人", "owner", note="干部名册中已有的干部姓名"),
        Column("办理时限", "deadline", ("完成时限",), parse=cells.parse_date),
        Column(
            "办理状态",
            "status",
            ("状态",),
            required=True,
            parse=partial(cells.parse_choice, choices=ProblemStatus),
        ),
        Column("办结日期", "closed_on", parse=cells.parse_date, note="已办结时必填，不早于提出日期"),
        Column("办理结果", "result", note="无法解决时填写原因"),
    ]
    field_columns = {"unsolvable_reason": "result"}

    def natural_key(self, values):
        if values.get("number"):
            return ("number", values["number"])
        return (
            "text",
            values.get("description"),
            str(values.get("raised_on")),
            values.get("project"),
            values.get("enterprise"),
        )

    def _existing(self, values, project, enterprise):
        if values.get("number"):
            return Problem.objects.filter(number=values["number"]).first()
        return Problem.objects.filter(
            number__isnull=True,
            description=values["description"],
            raised_on=values["raised_on"],
            project=project,
            enterprise=enterprise,
        ).first()

    def apply(self, values, *, actor, state):
        project = enterprise = owner = None
        if values.get("project"):
            project = lookup(
                state,
                Project.objects.filter(name=values["project"]),
                what="项目",
                value=values["project"],
                column="project",
            )
        if values.get("enterprise"):
            enterprise = enterprise_by_name(state, values["enterprise"])
        if values.get("owner"):
            owner = cadre_by_name(state, values["owner"], "owner")
        status = values["status"]
        if status == ProblemStatus.SOLVED and not values.get("closed_on"):
            raise RowError([("closed_on", "办理状态为已办结时必须填写办结日期")])
        fields = {
            "number": values.get("number") or None,
            "source": values["source"],
            "project": project,
            "enterprise": enterprise,
            "category": values["category"],
            "description": values["description"],
            "raised_on": values["raised_on"],
            "owner": owner,
            "deadline": values.get("deadline"),
        }
        # 办理结果 is what was done, or for 无法解决 the reason
        text_field = "unsolvable_reason" if status == ProblemStatus.UNSOLVABLE else "result"
        extra = {
            "status": status,
            "closed_on": values.get("closed_on"),
            text_field: values.get("result") or "",
        }
        existing = self._existing(values, project, enterprise)
        if existing is not None and owner is None:
            fields["owner"] = existing.owner  # no 责任人 stated: the owner stays (by default the lead)
        if existing is not None:
            stored = {**fields, **extra}
            if not any(getattr(existing, k) != v for k, v in stored.items()):
                return "unchanged"
        services.problem_import(actor=actor, existing=existing, **fields, **extra)
        return "created" if existing is None else "updated"

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .select_related("project", "enterprise", "owner")
            .order_by("raised_on", "id")
        )

    def export_values(self, obj, context):
        return {
            "number": obj.number,
            "source": choice_label(ProblemSource, obj.source),
            "project": obj.project.name if obj.project_id else None,
            "enterprise": obj.enterprise.name if obj.enterprise_id else None,
            "category": choice_label(ProblemCategory, obj.category),
            "description": obj.description,
            "raised_on": obj.raised_on,
            "owner": obj.owner.name if obj.owner_id else None,
            "deadline": obj.deadline,
            "status": choice_label(ProblemStatus, obj.status),
            "closed_on": obj.closed_on,
            "result": obj.unsolvable_reason if obj.status == ProblemStatus.UNSOLVABLE else obj.result,
        }
