"""Back office for 党费: bases, payments, and the monthly ledger per branch (应缴, 实缴, 欠缴)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from dangjian.core.admin_base import ReadOnlyAdminMixin, ScopedAdmin, admin_page
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import MonthField, StyledForm
from dangjian.core.scope import restrict
from dangjian.organizations.models import MEMBER_HOLDING_KINDS, PartyOrganization

from .. import services
from ..models import DuesAssessment, DuesBase, DuesPayment
from ..selectors import dues_ledger


class LedgerForm(StyledForm):
    organization = forms.ModelChoiceField(label="党组织", queryset=PartyOrganization.objects.none())
    month = MonthField()


DUES_LEDGER_HEADERS = ["党员", "所在组织", "应缴", "实缴", "欠缴", "自愿多交", "连续未交"]


@admin.register(DuesAssessment)
class DuesAssessmentAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["month", "member", "organization", "category", "income", "payable", "rule"]
    list_filter = ["category", "month"]
    search_fields = ["member__name", "organization__name"]
    list_select_related = ["member", "organization", "rule"]
    change_list_template = "admin/members/duesassessment/change_list.html"

    def get_urls(self):
        return [
            path("ledger/", self.admin_site.admin_view(self.ledger_view), name="members_dues_ledger"),
            *super().get_urls(),
        ]

    def ledger_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        organizations = restrict(
            request.user, PartyOrganization.objects.filter(kind__in=MEMBER_HOLDING_KINDS), "view"
        ).order_by("path")
        today = timezone.localdate()
        data = request.POST or request.GET or {"month": f"{today:%Y-%m}"}
        form = LedgerForm(data)
        form.fields["organization"].queryset = organizations
        ledger = None
        if form.is_valid():
            organization, month = form.cleaned_data["organization"], form.cleaned_data["month"]
            if request.method == "POST":
                if not request.user.has_perm("members.add_duesassessment"):
                    raise PermissionDenied
                try:
                    result = services.dues_assess(actor=request.user, organization=organization, month=month)
                except ValidationError as exc:
                    self.message_user(request, "；".join(exc.messages), messages.ERROR)
                else:
                    missing = (
                        f"；未设党费基数：{'、'.join(result['missing_base'])}"
                        if result["missing_base"]
                        else ""
                    )
                    self.message_user(
                        request,
                        f"已计算 {result['created']} 人的应缴党费（{result['rule']}）{missing}",
                        messages.SUCCESS if not missing else messages.WARNING,
                    )
                return HttpResponseRedirect(
                    f"{request.path}?organization={organization.pk}&month={month:%Y-%m}"
                )
            ledger = dues_ledger(user=request.user, organization=organization, month=month)
            if wants_xlsx(request):
                rows = (
                    [
                        row.member.name,
                        row.member.organization.name if row.member.organization else "",
                        "未计算" if row.payable is None else row.payable,
                        row.paid,
                        row.owed,
                        row.voluntary,
                        f"{row.unpaid_months} 个月" if row.unpaid_months else "",
                    ]
                    for row in ledger.rows
                )
                note = f"{organization.name} · {month:%Y年%m月}（金额单位：元）"
                return export_response(request.user, "党费月度台账", DUES_LEDGER_HEADERS, rows, note=note)
        return admin_page(
            self,
            request,
            "admin/members/duesassessment/ledger.html",
            "党费月度台账",
            form=form,
            ledger=ledger,
            query=request.GET.urlencode(),
            headers=DUES_LEDGER_HEADERS,
        )


@admin.register(DuesBase)
class DuesBaseAdmin(ScopedAdmin):
    list_display = ["member", "effective_from", "category", "income", "fixed_amount"]
    list_filter = ["category"]
    search_fields = ["member__name"]
    autocomplete_fields = ["member"]
    fields = ["member", "effective_from", "category", "income", "fixed_amount", "note"]

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields}
        obj.pk = services.dues_base_set(actor=request.user, **data).pk

    def delete_model(self, request, obj):
        services.dues_base_delete(actor=request.user, base=obj)


@admin.register(DuesPayment)
class DuesPaymentAdmin(ScopedAdmin):
    list_display = ["month", "member", "amount", "paid_on", "voluntary", "recorded_by"]
    list_filter = ["voluntary", "month"]
    search_fields = ["member__name"]
    list_select_related = ["member", "recorded_by"]
    autocomplete_fields = ["member"]
    fields = ["member", "month", "amount", "paid_on", "voluntary", "note"]

    def has_change_permission(self, request, obj=None):
        return False  # a payment is corrected by deleting it and recording it again

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields}
        obj.pk = services.dues_pay(actor=request.user, **data).pk

    def delete_model(self, request, obj):
        services.dues_payment_delete(actor=request.user, payment=obj)
