"""Back office of investment people, teams, events and yearly targets; the warnings and pace page.

Every write goes through investment.services (the yearly targets through core's configuration
services); every list and count starts from the user's scope (investment.selectors)."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.core.admin_base import (
    ChildInline,
    ConfigAdmin,
    OnDayFilter,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    StepsAdminMixin,
    admin_page,
    admin_viewer,
    formset_rows,
    number_text,
)
from dangjian.core.exports import export_response, record_url, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR, Period
from dangjian.core.scope import in_scope, restrict
from dangjian.core.services import Step

from .. import selectors, services
from ..models import (
    AnnualTarget,
    EventPhoto,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Team,
    in_post_on,
)


def _today() -> datetime.date:
    return timezone.localdate()


def _link(user, obj, text=None):
    """`obj` as a link to its page when the user may open it, else as text."""
    url = record_url(user, obj)
    text = text if text is not None else str(obj)
    return format_html('<a class="text-primary-600" href="{}">{}</a>', url, text) if url else text


class ReadOnlyChildInline(ReadOnlyAdminMixin, ChildInline):
    """Records that refer to the page's record, listed read-only with a link to their own page."""

    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return restrict(request.user, super().get_queryset(request), "view")


class ReferredByMixin:
    """The read-only lists of records that refer to this one are not on the page of a record
    being added: nothing refers to it yet."""

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        return inlines if obj is not None else [i for i in inlines if not isinstance(i, ReadOnlyChildInline)]


# -- 招商小分队 ----------------------------------------------------------------------------------
class TeamPeopleInline(ReadOnlyChildInline):
    model = InvestmentPerson
    fk_name = "team"
    fields = ["name", "role", "appointed_on", "term_until", "left_on", "left_reason"]
    verbose_name_plural = "队长和队员（含已离任）"
    ordering = ["-role", "left_on", "name"]


class TeamEventInline(ReadOnlyChildInline):
    model = InvestmentEvent
    fk_name = "team"
    fields = ["held_on", "name", "form", "city"]
    verbose_name_plural = "招商活动"


class TeamProjectInline(ReadOnlyChildInline):
    model = InvestmentProject
    fk_name = "team"
    fields = ["name", "investor", "stage", "recorded_on", "signed_on"]
    verbose_name_plural = "招商项目"


@admin.register(Team)
class TeamAdmin(ReferredByMixin, ScopedAdmin):
    inlines = [TeamPeopleInline, TeamEventInline, TeamProjectInline]
    list_display = ["name", "focus", "leader_name", "member_count", "event_count", "project_count"]
    search_fields = ["name", "focus"]
    fields = list(services.TEAM_FIELDS)
    autocomplete_fields = ["organization"]

    def get_queryset(self, request):
        today = _today()
        leaders = selectors.people_in_post(
            InvestmentPerson.objects.filter(team=OuterRef("pk")), today, PersonRole.LEADER
        ).order_by("-appointed_on", "pk")
        members = Q(people__role=PersonRole.MEMBER) & in_post_on(today, "people__")
        return (
            super()
            .get_queryset(request)
            .annotate(
                leader_now=Subquery(leaders.values("name")[:1]),
                members_now=Count("people", filter=members, distinct=True),
                events_total=Count("events", distinct=True),
                projects_total=Count("projects", distinct=True),
            )
        )

    @admin.display(description="队长")
    def leader_name(self, obj):
        return getattr(obj, "leader_now", None) or "—"

    @admin.display(description="在任队员数", ordering="members_now")
    def member_count(self, obj):
        return getattr(obj, "members_now", 0)

    @admin.display(description="活动数", ordering="events_total")
    def event_count(self, obj):
        return getattr(obj, "events_total", 0)

    @admin.display(description="项目数", ordering="projects_total")
    def project_count(self, obj):
        return getattr(obj, "projects_total", 0)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.TEAM_FIELDS if k in form.cleaned_data}
        obj.pk = services.team_save(actor=request.user, instance=obj if change else None, **data).pk

    def delete_model(self, request, obj):
        services.team_delete(actor=request.user, team=obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("overview/", view(overview_view), name="investment_overview"), *super().get_urls()]


# -- 招商人员 ------------------------------------------------------------------------------------
class PersonForm(forms.ModelForm):
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )

    class Meta:
        model = InvestmentPerson
        fields = services.PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "phone" in self.fields:  # not put back into the page, only its mask
            self.initial["phone"] = ""
            current = _phone_masked(self.instance) or "未填写"
            self.fields["phone"].help_text = f"当前：{current}；留空表示不修改"

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return value or (self.instance.phone if self.instance.pk else "")


def _phone_masked(person) -> str:
    return InvestmentPerson._meta.get_field("phone").masked(person.phone) if person.phone else ""


class InPostFilter(admin.SimpleListFilter):
    title = "在任"
    parameter_name = "in_post"

    def lookups(self, request, model_admin):
        return [("yes", "在任"), ("no", "不在任")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return selectors.people_in_post(queryset, _today())
        if self.value() == "no":
            return queryset.exclude(pk__in=selectors.people_in_post(queryset, _today()).values("pk"))
        return queryset


class InPostOnFilter(OnDayFilter):
    """在任于某日: who was in post on a day (?in_post_on=2025-12-31; any day may be given)."""

    title = "在任于某日"
    parameter_name = "in_post_on"

    def on_day(self, queryset, day):
        return selectors.people_in_post(queryset, day)


class LeaveForm(StyledForm):
    on = forms.DateField(label="离任日期", initial=_today)
    reason = forms.CharField(label="离任原因", max_length=200, required=False)


@admin.register(InvestmentPerson)
class InvestmentPersonAdmin(StepsAdminMixin, ScopedAdmin):
    form = PersonForm
    list_display = [
        "name",
        "role",
        "team",
        "covers",
        "appointed_on",
        "term_until",
        "left_on",
        "in_post_today",
    ]
    # the teams offered are those of the records the user may see
    list_filter = ["role", ("team", admin.RelatedOnlyFieldListFilter), InPostFilter, InPostOnFilter]
    search_fields = ["name", "unit", "covers"]
    list_select_related = ["team"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["phone_masked", "user", "grant_text", "events_attended", "leave_step"]
    steps = {"leave": Step("离任", services.person_leave, (("on", "on"), "reason"))}
    step_forms = {"leave": LeaveForm}
    step_record = "person"
    step_url_name = "investment_investmentperson_step"

    def get_fields(self, request, obj=None):
        fields = list(services.PERSON_FIELDS)
        if obj is None:
            return fields
        fields = [f for f in fields if f not in ("left_on", "left_reason")]
        if not self.has_change_permission(request, obj):  # read-only: the phone masked
            fields[fields.index("phone")] = "phone_masked"
        return [*fields, "left_on", "left_reason", "leave_step", "user", "grant_text", "events_attended"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "left_on", "left_reason"] if obj is not None else fields

    @admin.display(description="在任", boolean=True)
    def in_post_today(self, obj):
        return obj.in_post(_today())

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return _phone_masked(obj) or "—"

    @admin.display(description="授权")
    def grant_text(self, obj):
        grant = obj.grant
        if grant is None:
            return "—"
        until = f"{grant.valid_until:%Y-%m-%d}" if grant.valid_until else "长期"
        return f"{grant.role.name}（{grant.valid_from:%Y-%m-%d} 至 {until}）"

    @admin.display(description="参加的活动")
    def events_attended(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        user = admin_viewer()
        events = obj.events.order_by("-held_on")
        if user is not None:
            events = restrict(user, events, "view")
        links = [_link(user, event) for event in events]
        if not links:
            return "—"
        return format_html("<br>".join(["{}"] * len(links)), *links)

    @admin.display(description="离任")
    def leave_step(self, obj):
        if obj is None or obj.pk is None or obj.left_on:
            return "—"
        user = admin_viewer()
        may_change = user is not None and user.has_perm("investment.change_investmentperson")
        if not may_change or not in_scope(user, obj, "change"):
            return "在任"
        url = reverse("admin:investment_investmentperson_step", args=[obj.pk, "leave"])
        return format_html(
            '<a class="border border-base-200 font-medium px-3 py-2 rounded-default" href="{}">登记离任</a>',
            url,
        )

    def step_subject(self, obj):
        return str(obj)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.PERSON_FIELDS if k in form.cleaned_data}
        obj.pk = services.person_save(actor=request.user, instance=obj if change else None, **data).pk

    def delete_model(self, request, obj):
        services.person_delete(actor=request.user, person=obj)


# -- 招商活动 ------------------------------------------------------------------------------------
class EventForm(forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        label="参加人员", queryset=InvestmentPerson.objects.none(), required=False
    )
    takes_user = True

    class Meta:
        model = InvestmentEvent
        fields = [*services.EVENT_FIELDS, "participants"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = restrict(user, InvestmentPerson.objects.select_related("team"), "view")
        if self.instance.pk:  # those who went stay choices
            people = people | InvestmentPerson.objects.filter(pk__in=self.instance.participants.values("pk"))
        self.fields["participants"].queryset = people.distinct().order_by("role", "name")
        self.fields["participants"].help_text = "只能选择活动当日在任的招商人员"


class EventPhotoInline(ChildInline):
    model = EventPhoto
    extra = 0
    fields = ["file", "caption"]


class EventLeadInline(ReadOnlyChildInline):
    model = InvestmentProject
    fk_name = "source_event"
    fields = ["name", "investor", "stage", "recorded_on"]
    verbose_name_plural = "由本活动获得的线索"


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("held_on", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
            period = Period.year(year)
        except (TypeError, ValueError, OverflowError):
            raise IncorrectLookupParameters("年度无效") from None
        return selectors.events_in(queryset, period)


@admin.register(InvestmentEvent)
class InvestmentEventAdmin(ReferredByMixin, ScopedAdmin):
    form = EventForm
    inlines = [EventPhotoInline, EventLeadInline]
    list_display = ["held_on", "name", "form", "city", "team", "participant_count", "lead_count"]
    list_filter = ["form", ("team", admin.RelatedOnlyFieldListFilter), YearFilter, "city"]
    search_fields = ["name", "city", "met"]
    list_select_related = ["team"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["organization"]
    readonly_fields = ["register_lead"]

    def get_fields(self, request, obj=None):
        fields = [*services.EVENT_FIELDS[:5], "participants", *services.EVENT_FIELDS[5:]]
        return [*fields, "register_lead"] if obj is not None else fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                participants_total=Count("participants", distinct=True),
                leads_total=Count("leads", distinct=True),
            )
        )

    @admin.display(description="参加人数", ordering="participants_total")
    def participant_count(self, obj):
        return getattr(obj, "participants_total", 0)

    @admin.display(description="线索数", ordering="leads_total")
    def lead_count(self, obj):
        return getattr(obj, "leads_total", 0)

    @admin.display(description="登记线索")
    def register_lead(self, obj):
        user = admin_viewer()
        if obj is None or obj.pk is None or user is None:
            return "—"
        if not user.has_perm("investment.add_investmentproject"):
            return "—"
        try:
            url = reverse("admin:investment_investmentproject_add")
        except NoReverseMatch:
            return "—"
        query = f"source_event={obj.pk}" + (f"&team={obj.team_id}" if obj.team_id else "")
        return format_html('<a class="text-primary-600" href="{}?{}">登记由本活动获得的线索</a>', url, query)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.EVENT_FIELDS if k in form.cleaned_data}
        participants = form.cleaned_data.get("participants")
        obj.pk = services.event_save(
            actor=request.user,
            instance=obj if change else None,
            participants=list(participants) if participants is not None else None,
            **data,
        ).pk

    def save_children(self, request, form, formsets, change):
        photos = formsets.get(EventPhoto)
        if photos is None:
            return
        event = InvestmentEvent.objects.get(pk=form.instance.pk)
        for row in photos.deleted_forms:
            if row.instance.pk:
                services.photo_delete(actor=request.user, photo=row.instance)
        for row in formset_rows(photos):
            existing = row.get("id")
            if existing is None:
                services.photo_add(
                    actor=request.user, event=event, file=row.get("file"), caption=row.get("caption") or ""
                )
            elif row.get("file") != existing.file or (row.get("caption") or "") != existing.caption:
                # a photo is replaced, not edited: the new one added, the old one removed
                services.photo_add(
                    actor=request.user, event=event, file=row.get("file"), caption=row.get("caption") or ""
                )
                services.photo_delete(actor=request.user, photo=existing)

    def delete_model(self, request, obj):
        services.event_delete(actor=request.user, event=obj)


# -- 年度招商目标 ----------------------------------------------------------------------------------
@admin.register(AnnualTarget)
class AnnualTargetAdmin(ConfigAdmin):
    list_display = ["year", "events", "signings", "funds", "note"]
    fields = ["year", "events", "signings", "funds", "note"]


# -- 招商预警与目标进度 ------------------------------------------------------------------------------
class OverviewForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)


def overview_view(request):
    """招商预警与目标进度: a year's targets beside what is done and the share of the year gone;
    today's warnings; the year's signings by industry cluster; the pipeline by stage."""
    user = request.user
    if not user.has_perm("investment.view_investmentproject"):
        raise PermissionDenied
    team_admin = admin.site._registry[Team]
    today = _today()
    form = OverviewForm(request.GET or {"year": today.year})
    may_pace = user.has_perm("investment.view_annualtarget")
    context = {"form": form, "may_pace": may_pace, "today": today, "query": request.GET.urlencode()}
    if form.is_valid():
        year = form.cleaned_data["year"]
        projects = selectors.project_list(user=user)
        pace = selectors.target_pace(user=user, year=year, today=today) if may_pace else []
        warnings = [
            (warning, record_url(user, warning.project))
            for warning in selectors.project_warnings(user=user, today=today)
        ]
        clusters = selectors.cluster_signings(selectors.signed_in(projects, Period.year(year)))
        stages = selectors.stage_counts(projects)
        if wants_xlsx(request):
            return export_response(
                user,
                "招商预警与目标进度",
                ["分组", "项目或指标", "数量或完成", "目标或说明"],
                _overview_rows(pace, warnings, clusters, stages),
                note=f"{year}年（预警截至 {today:%Y-%m-%d}）",
            )
        pace_rows = [(row, _amount(row.target), _amount(row.done)) for row in pace]
        context.update(year=year, pace=pace_rows, warnings=warnings, clusters=clusters, stages=stages)
    return admin_page(team_admin, request, "admin/investment/overview.html", "招商预警与目标进度", **context)


def _amount(value):
    return number_text(value, 6) if value is not None else "—"


def _overview_rows(pace, warnings, clusters, stages):
    for row in pace:
        share = f"{row.done_share}%" if row.done_share is not None else "未设目标"
        yield [
            "目标进度",
            row.label,
            f"{_amount(row.done)}{row.unit}",
            f"目标 {_amount(row.target)}{row.unit}，完成 {share}，全年已过 {row.year_share}%"
            + ("，落后于进度" if row.behind else ""),
        ]
    for warning, _url in warnings:
        yield ["预警", warning.project.name, f"{warning.since:%Y-%m-%d}", warning.message]
    for name, count in clusters:
        yield ["签约项目按产业", name, count, ""]
    for _code, label, count in stages:
        yield ["项目阶段", label, count, ""]
