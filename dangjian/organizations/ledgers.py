"""党组织 (organizations) and 阵地与岗区 (posts) ledgers — LEDGERS.md."""

from functools import partial

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    NOT_CACHED,
    CellError,
    Column,
    Ledger,
    RowError,
    cached_lookup,
    choice_label,
    lookup,
    prefetch_lookup,
    register,
    resolve_one,
    save_row,
)

from . import services
from .models import OrgKind, PartyOrganization, Post, PostKind, UnitNature


def organization_by_name(state, name, column="organization", *, what="党组织", **filters):
    """The one party organization of this name (of these `filters`), for every ledger that names
    one; a row error naming the column otherwise."""
    found = cached_lookup(state, PartyOrganization, what=what, value=name, column=column)
    if found is not NOT_CACHED:
        return found
    return lookup(
        state, PartyOrganization.objects.filter(name=name, **filters), what=what, value=name, column=column
    )


def organization_prefetch(state, names, *, what="党组织", **filters):
    """Read the party organizations of these names (of these `filters`) in one query, for the
    rows of a batch that `organization_by_name` then resolves without one."""
    prefetch_lookup(state, PartyOrganization.objects.filter(**filters), "name", names, what=what)


def _parent_names(queryset):
    paths = {o.path[: -PartyOrganization.steplen] for o in queryset if o.depth > 1}
    return dict(PartyOrganization.objects.filter(path__in=paths).values_list("path", "name"))


@register
class OrganizationLedger(Ledger):
    name = "organizations"
    title = "党组织"
    model = PartyOrganization
    key_columns = ("name", "parent")
    columns = [
        Column(
            "组织名称",
            "name",
            ("党组织名称", "党组织全称"),
            required=True,
            parse=partial(cells.text, max_length=200),
        ),
        Column("组织简称", "short_name", ("简称",), parse=partial(cells.text, max_length=100)),
        Column(
            "组织类别",
            "kind",
            ("组织类型",),
            required=True,
            parse=partial(cells.parse_choice, choices=OrgKind),
        ),
        Column(
            "上级组织",
            "parent",
            ("上级党组织",),
            note="本文件前面的行或系统中已有的党组织；只有最上级组织不填",
        ),
        Column(
            "所在单位",
            "unit_name",
            ("单位名称",),
            parse=partial(cells.text, max_length=200),
            note="企业名称或其他单位名称",
        ),
        Column("单位性质", "unit_nature", parse=partial(cells.parse_choice, choices=UnitNature)),
        # month only (2012年1月, 2012.01) as real ledgers write them: the first of the month
        Column("成立日期", "founded_on", ("建立日期",), parse=partial(cells.parse_date, month_ok=True)),
        Column("书记", "secretary_name", ("党组织书记",), parse=partial(cells.text, max_length=50)),
        Column("标准化规范化达标", "standardized", ("是否标准化规范化达标",), parse=cells.parse_bool),
        Column("党建品牌", "brand", parse=partial(cells.text, max_length=200)),
        Column(
            "本届任期开始", "term_started_on", ("换届日期",), parse=partial(cells.parse_date, month_ok=True)
        ),
        Column("撤销日期", "dissolved_on", parse=cells.parse_date, note="临时党支部撤销时填写"),
    ]

    def apply(self, values, *, actor, state):
        parent = None
        if values.get("parent"):
            try:
                parent = resolve_one(
                    PartyOrganization.objects.filter(name=values["parent"]),
                    what="上级组织",
                    value=values["parent"],
                    hint="（须在本文件前面的行或系统中已有）",
                )
            except CellError as exc:
                raise RowError([("parent", str(exc))]) from None
        siblings = parent.children() if parent else PartyOrganization.objects.roots()
        existing = siblings.filter(name=values["name"]).first()
        fields = {k: v for k, v in values.items() if k != "parent"}
        for flag in ("standardized",):
            if flag in fields and fields[flag] is None:
                fields[flag] = False
        for name in ("short_name", "unit_name", "unit_nature", "secretary_name", "brand"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        if existing is not None and "unit_name" in fields and existing.unit_enterprise_id:
            if fields["unit_name"] == existing.unit_name:
                fields.pop("unit_name")
            elif not fields["unit_name"]:
                fields["unit_enterprise"] = None  # an empty 所在单位 also drops the enterprise link
        return save_row(
            existing,
            fields,
            create=lambda **f: services.organization_create(actor=actor, parent=parent, **f),
            update=lambda org, changes: services.organization_update(
                actor=actor, organization=org, **changes
            ),
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("unit_enterprise", "secretary").order_by("path")

    def export_context(self, objects):
        return {"parents": _parent_names(objects)}

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "short_name": obj.short_name,
            "kind": choice_label(OrgKind, obj.kind),
            "parent": context["parents"].get(obj.path[: -PartyOrganization.steplen])
            if obj.depth > 1
            else None,
            "unit_name": obj.unit_enterprise.name if obj.unit_enterprise_id else obj.unit_name,
            "unit_nature": choice_label(UnitNature, obj.unit_nature),
            "founded_on": obj.founded_on,
            "secretary_name": obj.secretary.name if obj.secretary_id else obj.secretary_name,
            "standardized": obj.standardized,
            "brand": obj.brand,
            "term_started_on": obj.term_started_on,
            "dissolved_on": obj.dissolved_on,
        }


@register
class PostLedger(Ledger):
    name = "posts"
    title = "阵地与岗区"
    model = Post
    key_columns = ("name", "organization")
    columns = [
        Column(
            "名称", "name", ("阵地名称", "岗区名称"), required=True, parse=partial(cells.text, max_length=200)
        ),
        Column("类型", "kind", required=True, parse=partial(cells.parse_choice, choices=PostKind)),
        Column("所属党组织", "organization", ("党组织",), required=True, note="系统中已有的党组织名称"),
        Column("设立日期", "established_on", parse=partial(cells.parse_date, month_ok=True)),
        Column("撤销日期", "revoked_on", parse=cells.parse_date),
    ]

    def apply(self, values, *, actor, state):
        name = values["organization"]
        organization = organization_by_name(state, name)
        fields = {k: v for k, v in values.items() if k != "organization"}
        if "established_on" in fields:
            fields["established_month_only"] = bool(getattr(fields["established_on"], "month_only", False))
        existing = Post.objects.filter(organization=organization, name=values["name"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.post_create(actor=actor, organization=organization, **f),
            update=lambda post, changes: services.post_update(actor=actor, post=post, **changes),
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("organization")

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "kind": choice_label(PostKind, obj.kind),
            "organization": obj.organization.name,
            "established_on": cells.format_date(obj.established_on, obj.established_month_only),
            "revoked_on": obj.revoked_on,
        }
