"""The figures of talent and innovation (INDICATORS.md), plus the pool's size as of the period
end with its mix by category, the policy support paid in the period and the experts engaged.
Each query is the selectors' (only confirmed records count); here only the scope and the
drill-down columns are added. A record with an enterprise counts under the enterprise's
organization; one without counts at the zone's root only (ctx.records leaves records without a
path out of every subtree)."""

from decimal import Decimal

from django.db.models import Min

from dangjian.core.indicators import Part, Result, register

from . import selectors
from .models import (
    CooperationUniversity,
    Expert,
    Innovation,
    InnovationKind,
    Platform,
    PlatformKind,
    PlatformLevel,
    PolicySupport,
    Talent,
)

ENTERPRISE_PATH = "enterprise__org_path"
KIND_FILTER, LEVEL_FILTER = "平台类型", "级别"


def _money(value):
    return value.normalize() if value is not None else None


def _choice(choices, value):
    """A filter given as its Chinese name (研发平台, 省级) or the stored value."""
    by_label = {label: key for key, label in choices.choices}
    return by_label.get(str(value).strip(), str(value).strip())


def _unit(record):
    return record.enterprise.name if record.enterprise_id else (getattr(record, "employer", "") or "—")


def _talents(ctx):
    return ctx.records(Talent.objects.select_related("enterprise"), ENTERPRISE_PATH)


def _innovations(ctx):
    return ctx.records(Innovation.objects.select_related("enterprise"), ENTERPRISE_PATH)


# -- the talent pool ------------------------------------------------------------------------------
@register(
    "talent.pool_intake",
    "人才动态入库人数",
    "名",
    description="入库日期在期内、已确认的人才（企业提交待确认或被退回的不计）",
    dashboard=150,
)
def pool_intake(ctx):
    records = selectors.intake_in(_talents(ctx), ctx.period).order_by("intake_on", "name", "pk")
    return Result(
        records.count(),
        records,
        parts=(
            Part("入库日期", lambda t: t.intake_on),
            Part("人才类别", lambda t: t.get_category_display()),
            Part("工作单位", lambda t: t.employer or "—"),
        ),
    )


@register(
    "talent.pool_size",
    "人才库在库人数",
    "名",
    description="期末在人才库的人才（入库日期在期末或之前、期末未出库）；明细按人才类别分列",
    dashboard=155,
)
def pool_size(ctx):
    records = selectors.in_pool_on(_talents(ctx), ctx.period.end).order_by("category", "name", "pk")
    return Result(
        records.count(),
        records,
        detail={"by_category": selectors.pool_mix(records)},
        parts=(
            Part("人才类别", lambda t: t.get_category_display()),
            Part("入库日期", lambda t: t.intake_on),
            Part("工作单位", lambda t: t.employer or "—"),
        ),
    )


@register(
    "talent.support_paid",
    "人才政策兑现金额",
    "元",
    description="兑现日期在期内的人才政策兑现金额合计",
)
def support_paid(ctx):
    supports = ctx.records(
        PolicySupport.objects.select_related("talent", "policy"), "talent__enterprise__org_path"
    )
    records = selectors.supports_paid_in(supports, ctx.period).order_by("paid_on", "pk")
    total = selectors.support_total(records)
    return Result(
        _money(total) if total is not None else Decimal(0),
        records,
        parts=(
            Part("人才", lambda s: s.talent.name),
            Part("人才政策", lambda s: s.policy.name),
            Part("兑现日期", lambda s: s.paid_on),
            Part("兑现金额（元）", lambda s: _money(s.amount)),
        ),
    )


@register(
    "talent.experts",
    "院士专家数",
    "名",
    description="期内在协议期的院士专家（协议签订日期在期末或之前或未填，截止日期不早于期初或未填）",
)
def experts(ctx):
    experts = ctx.records(Expert.objects.select_related("enterprise"), ENTERPRISE_PATH)
    records = selectors.experts_engaged_in(experts, ctx.period).order_by("name", "pk")
    return Result(
        records.count(),
        records,
        parts=(
            Part("合作企业", lambda e: e.enterprise.name),
            Part("协议签订日期", lambda e: e.agreed_on or "—"),
            Part("合作内容", lambda e: e.topic),
        ),
    )


# -- platforms ------------------------------------------------------------------------------------
@register(
    "platforms.count",
    "创新平台数",
    "个",
    description="认定日期在期末或之前（未填认定日期的也计）且期末未撤销的创新平台；可按平台类型和级别筛选",
    filters=(KIND_FILTER, LEVEL_FILTER),
    dashboard=160,
)
def platforms_count(ctx):
    kind = ctx.filters.get("kind") or ctx.filters.get(KIND_FILTER)
    level = ctx.filters.get("level") or ctx.filters.get(LEVEL_FILTER)
    records = selectors.platforms_on(
        ctx.records(Platform.objects.select_related("enterprise"), ENTERPRISE_PATH),
        ctx.period.end,
        kind=_choice(PlatformKind, kind) if kind else None,
        level=_choice(PlatformLevel, level) if level else None,
    ).order_by("kind", "level", "name", "pk")
    return Result(
        records.count(),
        records,
        parts=(
            Part("平台类型", lambda p: p.get_kind_display()),
            Part("级别", lambda p: p.get_level_display()),
            Part("依托单位", lambda p: p.host or "—"),
            Part("认定日期", lambda p: p.recognised_on or "—"),
        ),
    )


# -- innovations ----------------------------------------------------------------------------------
def _dated(records):
    return records.order_by("dated_on", "name", "pk")


@register(
    "innovation.key_projects",
    "重点科技项目数",
    "个",
    description="立项日期在期末或之前、已确认的重点科技项目",
)
def key_projects(ctx):
    records = _dated(selectors.innovations_by(_innovations(ctx), ctx.period.end, InnovationKind.KEY_PROJECT))
    return Result(
        records.count(),
        records,
        parts=(
            Part("级别", lambda i: i.get_level_display() or "—"),
            Part("企业", lambda i: i.enterprise.name if i.enterprise_id else "—"),
            Part("立项日期", lambda i: i.dated_on),
        ),
    )


@register(
    "innovation.achievements",
    "省级以上科技成果数",
    "项",
    description="获得日期在期末或之前、级别为省级或国家级、已确认的科技成果",
)
def achievements(ctx):
    records = _dated(selectors.achievements_by(_innovations(ctx), ctx.period.end))
    return Result(
        records.count(),
        records,
        parts=(
            Part("级别", lambda i: i.get_level_display()),
            Part("企业", lambda i: i.enterprise.name if i.enterprise_id else "—"),
            Part("获得日期", lambda i: i.dated_on),
        ),
    )


@register(
    "innovation.patents",
    "专利数",
    "个",
    description="授权日期在期末或之前、已确认的专利（企业提交待确认的不计）",
    dashboard=165,
)
def patents(ctx):
    records = _dated(selectors.innovations_by(_innovations(ctx), ctx.period.end, InnovationKind.PATENT))
    return Result(
        records.count(),
        records,
        parts=(
            Part("专利类型", lambda i: i.get_patent_kind_display() or "—"),
            Part("专利号", lambda i: i.patent_number or "—"),
            Part("专利权人", lambda i: i.holder or "—"),
            Part("授权日期", lambda i: i.dated_on),
        ),
    )


@register(
    "innovation.universities",
    "合作高校数",
    "所",
    description="签约日期在期末或之前、已确认的校地合作的合作高校（同一高校只计一次）",
)
def universities(ctx):
    innovations = _innovations(ctx)
    names = selectors.universities_by(innovations, ctx.period.end)
    cooperations = selectors.innovations_by(innovations, ctx.period.end, InnovationKind.COOPERATION)
    rows = CooperationUniversity.objects.filter(innovation__in=cooperations.values("pk"))
    # one record per university (its first cooperation's row) behind the count of distinct names
    records = CooperationUniversity.objects.filter(
        pk__in=rows.order_by().values("name").annotate(first=Min("pk")).values("first")
    ).order_by("name", "pk")
    by_name: dict[str, list[str]] = {}
    for name, cooperation in rows.order_by("innovation__dated_on", "pk").values_list(
        "name", "innovation__name"
    ):
        by_name.setdefault(name, []).append(cooperation)
    return Result(
        names.count(),
        records,
        parts=(Part("校地合作", lambda u: "、".join(by_name.get(u.name, []))),),
    )
