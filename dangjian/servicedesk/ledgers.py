"""企业诉求与服务事项 (requests) ledger — LEDGERS.md."""

from functools import partial

from dangjian.cadres.ledgers import cadre_by_name
from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import Column, Ledger, RowError, choice_label, register
from dangjian.enterprises.ledgers import enterprise_by_name

from . import services
from .models import Handling, RequestKind, RequestStatus, ServiceRequest

LEDGER_STATUS = {"已受理": "accepted", "办理中": "in_progress", "已办结": "closed", "已退回": "returned"}


def ledger_status(status: str) -> str:
    """The ledger's word for a request's state: it has no 已提交, 挂起 or 已评价 (a rated request
    is 已办结 with its 满意度)."""
    if status == RequestStatus.RATED:
        return RequestStatus.CLOSED
    return status if status in LEDGER_STATUS.values() else RequestStatus.ACCEPTED


def parse_status(raw):
    value = cells.text(raw)
    if not value:
        return None
    if value not in LEDGER_STATUS:
        raise cells.CellError(f"“{value}”不是可选值（{'、'.join(LEDGER_STATUS)}）")
    return LEDGER_STATUS[value]


parse_status.accepted = list(LEDGER_STATUS)  # for the blank template's instructions


@register
class RequestLedger(Ledger):
    name = "requests"
    title = "企业诉求与服务事项"
    model = ServiceRequest
    key_columns = ("number", "enterprise", "title", "accepted_on")
    record_columns = ("number", "enterprise", "title")
    columns = [
        Column(
            "事项编号",
            "number",
            ("编号",),
            parse=partial(cells.text, max_length=50),
            note="填写时按编号匹配已有记录",
        ),
        Column("企业名称", "enterprise", required=True, note="系统中已有的企业名称"),
        Column("事项类型", "kind", required=True, parse=partial(cells.parse_choice, choices=RequestKind)),
        Column("事项名称", "title", required=True, parse=partial(cells.text, max_length=200)),
        Column("办理方式", "handling", parse=partial(cells.parse_choice, choices=Handling)),
        Column("受理日期", "accepted_on", required=True, parse=cells.parse_date),
        Column("办结日期", "closed_on", parse=cells.parse_date, note="不早于受理日期"),
        Column("办理状态", "status", required=True, parse=parse_status),
        Column("承办人", "handler", note="干部名册中已有的干部姓名"),
        Column("满意度", "rating", parse=partial(cells.parse_int, min_value=1, max_value=5)),
    ]

    def natural_key(self, values):
        if values.get("number"):
            return ("number", values["number"])
        return ("row", values.get("enterprise"), values.get("title"), str(values.get("accepted_on")))

    def apply(self, values, *, actor, state):
        enterprise = enterprise_by_name(state, values["enterprise"], hint="（请先导入企业名录）")
        handler = None
        if values.get("handler"):
            handler = cadre_by_name(state, values["handler"], "handler", what="承办人（干部）")
        if values.get("closed_on") and values["closed_on"] < values["accepted_on"]:
            raise RowError([("closed_on", "办结日期不能早于受理日期")])
        if values.get("number"):
            existing = ServiceRequest.objects.filter(number=values["number"]).first()
        else:
            existing = ServiceRequest.objects.filter(
                enterprise=enterprise, title=values["title"], accepted_on=values["accepted_on"]
            ).first()
        fields = {
            "number": values.get("number") or (existing.number if existing else ""),
            "enterprise": enterprise,
            "kind": values["kind"],
            "title": values["title"],
            "handling": values.get("handling") or "",
            "submitted_on": values["accepted_on"],
            "accepted_on": values["accepted_on"],
            "closed_on": values.get("closed_on"),
            "status": values["status"],
            "handler": handler,
            "rating": values.get("rating"),
        }
        if existing is not None:
            # compared as the ledger states it: the finer states and the day submitted that
            # Dangjian keeps are not in the file, and re-importing an export changes nothing
            if self._stated(existing) == self._stated_by(fields):
                return "unchanged"
            if ledger_status(existing.status) == fields["status"]:
                fields["status"] = existing.status
            fields["submitted_on"] = min(existing.submitted_on, fields["accepted_on"])
            if (
                fields["status"] in (RequestStatus.SUBMITTED, RequestStatus.RETURNED)
                and existing.accepted_on is None
                and fields["accepted_on"] == existing.submitted_on
            ):
                fields["accepted_on"] = None  # not accepted yet: the file shows the day submitted
        services.request_import(actor=actor, existing=existing, **fields)
        return "created" if existing is None else "updated"

    @staticmethod
    def _stated(request):
        """What the ledger says of a request (as its export writes it)."""
        return {
            "number": request.number,
            "enterprise": request.enterprise_id,
            "kind": request.kind,
            "title": request.title,
            "handling": request.handling or "",
            "accepted_on": request.accepted_on or request.submitted_on,
            "closed_on": request.closed_on,
            "status": ledger_status(request.status),
            "handler": request.handler_id,
            "rating": request.rating,
        }

    @classmethod
    def _stated_by(cls, fields):
        return cls._stated(ServiceRequest(**fields))

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .select_related("enterprise", "handler")
            .order_by("submitted_on", "id")
        )

    def export_values(self, obj, context):
        words = {v: k for k, v in LEDGER_STATUS.items()}
        return {
            "number": obj.number,
            "enterprise": obj.enterprise.name,
            "kind": choice_label(RequestKind, obj.kind),
            "title": obj.title,
            "handling": choice_label(Handling, obj.handling),
            "accepted_on": obj.accepted_on or obj.submitted_on,
            "closed_on": obj.closed_on,
            "status": words[ledger_status(obj.status)],
            "handler": obj.handler.name if obj.handler_id else None,
            "rating": obj.rating,
        }
