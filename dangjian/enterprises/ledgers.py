"""企业名录 (enterprises) and 企业年度数据 (enterprise_years) ledgers — LEDGERS.md."""

from functools import partial

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    CellError,
    Column,
    Ledger,
    RowError,
    lookup,
    register,
    resolve_one,
    save_row,
)
from dangjian.core.validators import normalize_credit_code, normalize_phone

from . import services
from .models import Enterprise, EnterpriseYear, IndustryCluster

parse_credit_code = cells.validated(normalize_credit_code)


parse_phone = cells.validated(normalize_phone)


FLAGS = [
    ("高新技术企业", "is_high_tech", ("是否高新技术企业",)),
    ("科技型中小企业", "is_tech_sme", ("是否科技型中小企业",)),
    ("规模以上企业", "is_above_scale", ("规上企业",)),
    ("链主企业", "is_chain_leader", ()),
    ("孵化企业", "is_incubated", ("是否孵化企业",)),
]


def enterprise_by_name(state, name, column="enterprise", *, hint=""):
    """The one enterprise of this name, for every ledger that names one; a row error otherwise."""
    return lookup(
        state, Enterprise.objects.filter(name=name), what="企业", value=name, column=column, hint=hint
    )


@register
class EnterpriseLedger(Ledger):
    name = "enterprises"
    title = "企业名录"
    model = Enterprise
    key_columns = ("credit_code",)
    # the export carries full contact phones: the reveal permission, a confirmation, logged
    reveals = ("联系电话",)
    reveal_permission = "members.reveal_personal_data"
    columns = [
        Column("企业名称", "name", ("单位名称",), required=True, parse=partial(cells.text, max_length=200)),
        Column("统一社会信用代码", "credit_code", ("信用代码",), required=True, parse=parse_credit_code),
        Column("所属产业", "cluster", ("产业类别", "产业集群"), required=True),
        Column("入驻日期", "settled_on", parse=partial(cells.parse_date, month_ok=True)),
        *[Column(header, key, synonyms, parse=cells.parse_bool) for header, key, synonyms in FLAGS],
        Column("从业人数", "employees", ("职工人数",), parse=cells.parse_int),
        Column("联系人", "contact_name", parse=partial(cells.text, max_length=50)),
        Column("联系电话", "contact_phone", parse=parse_phone),
    ]

    def describe_column(self, column):
        if column.key != "cluster":
            return super().describe_column(column)
        names = IndustryCluster.objects.filter(is_active=True).values_list("name", flat=True)
        return "本区配置的产业之一：" + "、".join(names)

    def apply(self, values, *, actor, state):
        clusters = state.setdefault(
            "clusters", {c.name: c for c in IndustryCluster.objects.filter(is_active=True)}
        )
        cluster_name = values["cluster"]
        if cluster_name not in clusters:
            raise RowError([("cluster", f"“{cluster_name}”不是本区配置的产业（{'、'.join(clusters)}）")])
        fields = {k: v for k, v in values.items() if k != "cluster"}
        fields["cluster"] = clusters[cluster_name]
        if "settled_on" in fields:
            fields["settled_month_only"] = bool(getattr(fields["settled_on"], "month_only", False))
        for _, key, _ in FLAGS:
            if key in fields and fields[key] is None:
                fields[key] = False
        for key in ("contact_name", "contact_phone"):
            if key in fields and fields[key] is None:
                fields[key] = ""
        existing = Enterprise.objects.filter(credit_code=values["credit_code"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.enterprise_create(actor=actor, **f),
            update=lambda e, changes: services.enterprise_update(actor=actor, enterprise=e, **changes),
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("cluster")

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "credit_code": obj.credit_code,
            "cluster": obj.cluster.name,
            "settled_on": cells.format_date(obj.settled_on, obj.settled_month_only),
            **{key: getattr(obj, key) for _, key, _ in FLAGS},
            "employees": obj.employees,
            "contact_name": obj.contact_name,
            "contact_phone": obj.contact_phone,
        }


money = partial(cells.parse_decimal, places=6, unit="万元")


@register
class EnterpriseYearLedger(Ledger):
    name = "enterprise_years"
    title = "企业年度数据"
    model = EnterpriseYear
    key_columns = ("enterprise", "year")
    record_columns = ("enterprise", "year")
    field_columns = {"enterprise": "enterprise"}

    def record_label(self, raw, keys=None):
        """The enterprise's name (found by the credit code as written) and the year."""
        label = super().record_label(raw, keys)
        try:
            code = parse_credit_code(raw.get("enterprise"))
        except CellError:
            return label
        # zone-wide on purpose: a name for a message, found by the code the file gives
        name = Enterprise.objects.filter(credit_code=code).values_list("name", flat=True).first()
        return f"{name} {cells.written(raw.get('year'))}".strip() if name else label

    columns = [
        Column(
            "统一社会信用代码",
            "enterprise",
            ("信用代码",),
            required=True,
            parse=parse_credit_code,
            note="企业名录中已有的企业",
        ),
        Column("年度", "year", required=True, parse=cells.parse_year),
        Column("营业收入（万元）", "revenue", ("销售收入（万元）",), parse=partial(money, min_value=0)),
        Column("利税（万元）", "profit_tax", ("利税总额（万元）",), parse=money),
        Column("新增就业（人）", "new_jobs", ("带动就业（人）",), parse=cells.parse_int),
    ]

    def apply(self, values, *, actor, state):
        try:
            enterprise = resolve_one(
                Enterprise.objects.filter(credit_code=values["enterprise"]),
                what="企业",
                value=values["enterprise"],
                hint="（请先导入企业名录）",
            )
        except CellError as exc:
            raise RowError([("enterprise", str(exc))]) from None
        fields = {k: v for k, v in values.items() if k != "enterprise"}
        existing = EnterpriseYear.objects.filter(enterprise=enterprise, year=values["year"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.enterprise_year_save(actor=actor, enterprise=enterprise, **f),
            update=lambda y, changes: services.enterprise_year_save(actor=actor, instance=y, **changes),
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("enterprise").order_by("enterprise__name", "year")

    def export_values(self, obj, context):
        return {
            "enterprise": obj.enterprise.credit_code,
            "year": obj.year,
            "revenue": obj.revenue,
            "profit_tax": obj.profit_tax,
            "new_jobs": obj.new_jobs,
        }
