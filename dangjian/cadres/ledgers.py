"""干部名册 (cadres) ledger — LEDGERS.md."""

from functools import partial

from dangjian.core.crypto import keyed_hash
from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import Column, Ledger, lookup, register, save_row
from dangjian.core.validators import normalize_phone
from dangjian.organizations.ledgers import organization_by_name

from . import services
from .models import Cadre

parse_phone = cells.validated(normalize_phone)


def cadre_by_name(state, name, column, what="干部"):
    """The one cadre of this name, for the ledgers that name cadres (a row error otherwise)."""
    return lookup(
        state,
        Cadre.objects.filter(name=name),
        what=what,
        value=name,
        column=column,
        hint="（请先导入干部名册）",
    )


@register
class CadreLedger(Ledger):
    name = "cadres"
    title = "干部名册"
    model = Cadre
    key_columns = ("name", "phone")
    # the export carries full phones and birth dates: the reveal permission, a confirmation, logged
    reveals = ("出生日期", "手机号码")
    reveal_permission = "members.reveal_personal_data"
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column("出生日期", "birth_date", parse=partial(cells.parse_date, month_ok=True)),
        Column("职务", "title", parse=partial(cells.text, max_length=100)),
        Column("手机号码", "phone", ("联系电话",), required=True, parse=parse_phone),
        Column("所在党组织", "organization", note="系统中已有的党组织名称"),
    ]

    def apply(self, values, *, actor, state):
        fields = {k: v for k, v in values.items() if k != "organization"}
        if "organization" in values:
            name = values["organization"]
            fields["organization"] = organization_by_name(state, name) if name else None
        if "title" in fields and fields["title"] is None:
            fields["title"] = ""
        month_only = bool(getattr(values.get("birth_date"), "month_only", False))
        existing = Cadre.objects.filter(name=values["name"], phone_hash=keyed_hash(values["phone"])).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.cadre_save(actor=actor, birth_month_only=month_only, **f),
            update=lambda c, changes: services.cadre_save(
                actor=actor, instance=c, birth_month_only=month_only, **changes
            ),
            also_changed=existing is not None and existing.birth_month_only != month_only,
        )

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("organization")

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "birth_date": cells.format_date(obj.birth_date, obj.birth_month_only),
            "title": obj.title,
            "phone": obj.phone,
            "organization": obj.organization.name if obj.organization_id else None,
        }
