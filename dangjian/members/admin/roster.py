from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from unfold.admin import TabularInline
from unfold.widgets import UnfoldAdminSingleDateWidget, UnfoldAdminTextInputWidget

from dangjian.core.admin_base import ReadOnlyAdminMixin, ScopedAdmin, admin_page, form_errors_from
from dangjian.core.crypto import keyed_hash
from dangjian.core.forms import StyledForm
from dangjian.core.paths import path_order
from dangjian.core.scope import restrict
from dangjian.core.validators import id_birth_date, normalize_id_number, normalize_mobile
from dangjian.organizations.models import MEMBER_HOLDING_KINDS, OrgKind, PartyOrganization

from .. import services
from ..models import Member, Membership


class MemberForm(forms.ModelForm):
    takes_user = True
    id_number = forms.CharField(
        label="公民身份号码", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )
    phone = forms.CharField(
        label="手机号码", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )
    transferred_in_on = forms.DateField(
        widget=UnfoldAdminSingleDateWidget,
        label="从外单位转入日期",
        required=False,
        help_text="新党员或原本就在本组织的党员留空；从区外转入的填写转入日期",
    )

    class Meta:
        model = Member
        # the birth date is the ID number's (shown as its year only): never a field of its own
        fields = ["organization", *(f for f in services.MEMBER_FORM_FIELDS if f != "birth_date")]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "organization" in self.fields:
            self.fields["organization"].queryset = restrict(
                user, PartyOrganization.objects.filter(kind__in=MEMBER_HOLDING_KINDS), "view"
            ).order_by("path")
        if "party_group" in self.fields:  # absent on a read-only form
            self.fields["party_group"].queryset = restrict(
                user, PartyOrganization.objects.filter(kind=OrgKind.PARTY_GROUP), "view"
            ).order_by("path")
        if self.instance.pk:
            self.initial["id_number"] = ""
            self.initial["phone"] = ""
            self.fields["id_number"].help_text = f"当前：{self.instance.id_number_masked}；留空表示不修改"
            self.fields["phone"].help_text = f"当前：{self.instance.phone_masked or '未填写'}；留空表示不修改"
            self.fields.pop("transferred_in_on")
        else:
            self.fields["id_number"].required = True

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip()
        if not value and self.instance.pk:
            return self.instance.id_number
        try:
            return normalize_id_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return self.instance.phone if self.instance.pk else ""
        return normalize_mobile(value)

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization") or (
            self.instance.organization if self.instance.pk else None
        )
        if organization is not None and not self.instance.pk:
            try:
                services.check_organization(
                    organization, on=cleaned.get("transferred_in_on") or timezone.localdate()
                )
            except ValidationError as exc:
                form_errors_from(exc, self)
        if organization is not None and cleaned.get("party_group"):
            probe = Member(organization=organization, party_group=cleaned["party_group"])
            try:
                services.check_party_group(probe)
            except ValidationError as exc:
                form_errors_from(exc, self)
        number = cleaned.get("id_number")
        if number:
            cleaned["birth_date"] = id_birth_date(number)
            clash = (
                Member.objects.filter(id_number_hash=keyed_hash(number)).exclude(pk=self.instance.pk).first()
            )
            if clash is not None:
                self.add_error("id_number", "该公民身份号码已登记")
        return cleaned


class TransferForm(StyledForm):
    to = forms.ModelChoiceField(label="转入党组织", queryset=PartyOrganization.objects.none())
    on = forms.DateField(label="转接日期", initial=timezone.localdate)
    note = forms.CharField(label="备注", required=False, max_length=200)


class LeaveForm(StyledForm):
    on = forms.DateField(label="离开日期", initial=timezone.localdate)
    reason = forms.CharField(label="离开原因", max_length=100, help_text="如：转出至区外党组织、去世、出党")


class MembershipInline(ReadOnlyAdminMixin, TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["organization", "valid_from", "start_known", "valid_until", "reason", "note"]
    readonly_fields = fields
    verbose_name_plural = "组织关系记录"


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    form = MemberForm
    inlines = [MembershipInline]
    list_display = [
        "name",
        "sex",
        "id_masked",
        "category",
        "organization",
        "joined_on",
        "phone_masked",
        "status",
        "current",
    ]
    list_filter = ["category", "status", "is_mobile", "education", "sex"]
    search_fields = ["name"]
    hashed_search = {"id_number_hash": normalize_id_number, "phone_hash": normalize_mobile}
    list_select_related = ["organization"]
    # the order member_list_order gives: page 1 reads 50 rows whatever the scope's size
    ordering = path_order("name", "id")
    readonly_fields = ["id_masked", "birth_masked", "phone_masked", "left_on", "leave_reason"]
    change_form_template = "admin/members/member/change_form.html"

    def get_fieldsets(self, request, obj=None):
        basics = ["name", "sex", "ethnicity", "id_number", "birth_masked", "education"]
        party = [
            "organization",
            "party_group",
            "category",
            "joined_on",
            "regularized_on",
            "probation_extended",
            "status",
            "is_mobile",
        ]
        contact = ["position", "phone"]
        if obj is None:
            party.insert(1, "transferred_in_on")
        else:
            party += ["left_on", "leave_reason"]
            if not self.has_change_permission(request, obj):  # a read-only page shows stored values
                basics[basics.index("id_number")] = "id_masked"
                contact[contact.index("phone")] = "phone_masked"
        return [
            ("基本信息", {"fields": basics}),
            ("党籍", {"fields": party}),
            ("联系与岗位", {"fields": contact}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "organization"] if obj else self.readonly_fields

    @admin.display(description="公民身份号码")
    def id_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description="出生年份")
    def birth_masked(self, obj):
        return obj.birth_date_masked or "—"

    @admin.display(description="手机号码")
    def phone_masked(self, obj):
        return obj.phone_masked or "—"

    @admin.display(description="在册", boolean=True)
    def current(self, obj):
        return obj.left_on is None

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.MEMBER_FORM_FIELDS if k in form.cleaned_data}
        if change:
            services.member_update(actor=request.user, member=obj, **data)
        else:
            created = services.member_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                transferred_in_on=form.cleaned_data.get("transferred_in_on"),
                **data,
            )
            obj.pk = created.pk

    def get_deleted_objects(self, objs, request):
        """A member's memberships (their history) go with them: deleting the member is enough."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Membership._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.member_delete(actor=request.user, member=obj)

    # -- workflow pages: transfer, leave, reveal ---------------------------------------------
    def get_urls(self):
        return [
            path(
                "<int:pk>/transfer/",
                self.admin_site.admin_view(self.transfer_view),
                name="members_member_transfer",
            ),
            path("<int:pk>/leave/", self.admin_site.admin_view(self.leave_view), name="members_member_leave"),
            path(
                "<int:pk>/reveal/", self.admin_site.admin_view(self.reveal_view), name="members_member_reveal"
            ),
            *super().get_urls(),
        ]

    def _member(self, request, pk, action="change"):
        member = get_object_or_404(self.get_queryset(request), pk=pk)
        if action == "change" and not self.has_change_permission(request, member):
            raise PermissionDenied
        return member

    def _page(self, request, member, title, form, template="admin/dangjian_action.html", **extra):
        return admin_page(
            self,
            request,
            template,
            title,
            subtitle=member.name,
            form=form,
            member=member,
            back_url=reverse("admin:members_member_change", args=[member.pk]),
            **extra,
        )

    def transfer_view(self, request, pk):
        member = self._member(request, pk)
        form = TransferForm(request.POST or None)
        form.fields["to"].queryset = (
            restrict(request.user, PartyOrganization.objects.filter(kind__in=MEMBER_HOLDING_KINDS), "view")
            .exclude(pk=member.organization_id)
            .order_by("path")
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.member_transfer(
                    actor=request.user,
                    member=member,
                    to=form.cleaned_data["to"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(
                    request, f"{member.name}的组织关系已转接到“{form.cleaned_data['to']}”", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:members_member_change", args=[member.pk]))
        return self._page(request, member, "转接组织关系", form)

    def leave_view(self, request, pk):
        member = self._member(request, pk)
        form = LeaveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.member_leave(
                    actor=request.user,
                    member=member,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(request, f"已登记{member.name}离开", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:members_member_change", args=[member.pk]))
        return self._page(request, member, "登记离开（转出区外等）", form)

    def reveal_view(self, request, pk):
        member = self._member(request, pk, action="view")
        revealed = None
        if request.method == "POST":
            values = services.member_reveal(
                actor=request.user, member=member, purpose=request.POST.get("purpose", "")
            )
            revealed = [
                ("公民身份号码", values["id_number"], "revealed-id"),
                ("手机号码", values["phone"], "revealed-phone"),
            ]
        return self._page(
            request,
            member,
            "查看完整身份证号和手机号码",
            None,
            template="admin/reveal.html",
            revealed=revealed,
            revealed_names="公民身份号码和手机号码",
        )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["member", "organization", "valid_from", "valid_until", "reason", "note"]
    list_filter = ["reason"]
    search_fields = ["member__name", "organization__name"]
    list_select_related = ["member", "organization"]
