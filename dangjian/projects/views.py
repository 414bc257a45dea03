"""The cadre's phone pages (/m/): their own sign-in and sign-out, the daily record (日纪实),
and the problems the cadre follows, with their timeline, progress and solving."""

import datetime
import functools

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.forms import GrantAuthenticationForm
from dangjian.cadres.models import Cadre
from dangjian.cadres.services import assigned_targets
from dangjian.core import second_factor
from dangjian.core.admin_base import form_errors_from
from dangjian.core.forms import MultipleFileField, MultipleFileInput
from dangjian.core.scope import in_scope
from dangjian.enterprises.models import Enterprise

from . import services
from .models import ProblemCategory, Project
from .selectors import OPEN, cadre_problems, missing_days

LOGIN = "phone-login"


class PhoneLoginView(auth_views.LoginView):
    """/m/login/: the back office's sign-in on a phone: the same form (a grant in force, active
    account), the same backend, and every attempt in the audit log (its signals)."""

    template_name = "projects/phone/login.html"
    authentication_form = GrantAuthenticationForm
    next_page = "daily"
    redirect_authenticated_user = True


@login_required(login_url=LOGIN)
def phone_verify(request):
    """/m/verify/: the code of a user who enrolled in the second factor, after the password."""
    return second_factor.verify_page(
        request, template_name="projects/phone/verify.html", default_next="daily"
    )


class PhoneLogoutView(auth_views.LogoutView):
    """Signing out (a POST with its CSRF token) leads back to the phone's sign-in."""

    next_page = LOGIN


def cadre_page(view):
    """A phone page of the signed-in cadre (`view(request, cadre, ...)`): a visitor not signed in
    goes to /m/login/ and comes back; a user who is no cadre is told so in Chinese."""

    @login_required(login_url=LOGIN)
    @functools.wraps(view)
    def page(request, *args, **kwargs):
        cadre = Cadre.objects.filter(user=request.user).first()
        if cadre is None:
            return render(request, "projects/phone/not_cadre.html", status=403)
        return view(request, cadre, *args, **kwargs)

    return page


class DailyForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    projects = forms.ModelMultipleChoiceField(
        label="项目", queryset=Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    enterprises = forms.ModelMultipleChoiceField(
        label="企业", queryset=Enterprise.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_visit = forms.BooleanField(label="今天深入了现场或企业", required=False)
    content = forms.CharField(label="做了什么", widget=forms.Textarea(attrs={"rows": 5}))
    # photos taken on the spot: the phone offers its camera
    photos = MultipleFileField(
        label="现场照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    problem_category = forms.ChoiceField(
        label="发现的问题类别", required=False, choices=[("", "（没有新问题）"), *ProblemCategory.choices]
    )
    problem_description = forms.CharField(
        label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cadre: Cadre, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        project_ids, enterprise_ids = assigned_targets(cadre, day)
        self.fields["projects"].queryset = Project.objects.filter(pk__in=project_ids)
        self.fields["enterprises"].queryset = Enterprise.objects.filter(pk__in=enterprise_ids)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("problem_category") and not (cleaned.get("problem_description") or "").strip():
            self.add_error("problem_description", "请描述发现的问题")
        return cleaned


@cadre_page
def daily(request, cadre):
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.POST.get("day") or request.GET.get("day") or "") or today
    except ValueError:
        day = today
    existing = cadre.daily_records.filter(day=day).first()
    initial = {"day": day}
    if existing is not None:  # one record a day: the page opens it for editing
        initial.update(
            content=existing.content,
            is_visit=existing.is_visit,
            projects=list(existing.projects.values_list("pk", flat=True)),
            enterprises=list(existing.enterprises.values_list("pk", flat=True)),
        )
    form = DailyForm(request.POST or None, request.FILES or None, cadre=cadre, day=day, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = []
        if data["problem_category"]:
            target = (data["projects"][:1] or [None])[0]
            problems.append(
                {
                    "category": data["problem_category"],
                    "description": data["problem_description"].strip(),
                    "project": target,
                    "enterprise": None if target else (data["enterprises"][:1] or [None])[0],
                }
            )
        earlier = cadre.daily_records.filter(day=data["day"]).first()  # the day's record, if kept already
        raised_before = set(earlier.problems.values_list("pk", flat=True)) if earlier else set()
        try:
            record = services.daily_record_save(
                actor=request.user,
                cadre=cadre,
                day=data["day"],
                content=data["content"],
                projects=list(data["projects"]),
                enterprises=list(data["enterprises"]),
                is_visit=data["is_visit"],
                photos=data["photos"],
                problems=problems,
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            saved = "已更新（每天一条）" if earlier else "已保存"
            messages.success(request, f"{data['day'].month}月{data['day'].day}日的日纪实{saved}")
            for problem in record.problems.exclude(pk__in=raised_before):
                due = f"，办理时限 {problem.deadline:%Y-%m-%d}" if problem.deadline else ""
                messages.success(
                    request,
                    f"已提出问题“{problem.description[:30]}”（{problem}），责任人{problem.owner}{due}",
                )
            return redirect(f"{reverse('daily')}?day={data['day']:%Y-%m-%d}")
    month_start = today.replace(day=1)
    context = {
        "cadre": cadre,
        "form": form,
        "day": day,
        "existing": existing,
        "recent": cadre.daily_records.order_by("-day")[:7],
        "missing": missing_days(cadre, month_start, today),
    }
    return render(request, "projects/daily.html", context)


# -- the problems the cadre follows -----------------------------------------------------------------------
class ProgressForm(forms.Form):
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="办理进展", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class SolveForm(forms.Form):
    on = forms.DateField(label="办结日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))


@cadre_page
def problems(request, cadre):
    today = timezone.localdate()
    items = list(cadre_problems(cadre, user=request.user).filter(status__in=OPEN))
    for problem in items:
        problem.overdue = problem.is_overdue(today)
    return render(
        request,
        "projects/phone/problems.html",
        {"cadre": cadre, "problems": items, "overdue": sum(p.overdue for p in items)},
    )


# the two steps the phone offers on an open problem: the form, its service, what the page says
PHONE_STEPS = {
    "progress": (ProgressForm, services.problem_progress, "已记录办理进展"),
    "solve": (SolveForm, services.problem_solve, "问题已办结"),
}


@cadre_page
def problem_detail(request, cadre, pk):
    problem = get_object_or_404(cadre_problems(cadre, user=request.user), pk=pk)
    may_act = problem.status in OPEN and in_scope(request.user, problem, "change")
    step = request.POST.get("step") if request.method == "POST" else None
    forms_shown = {}
    for name, (form_class, _service, _done) in PHONE_STEPS.items():
        posted = step == name and may_act
        forms_shown[name] = form_class(
            request.POST if posted else None, initial={"on": timezone.localdate()}, prefix=name
        )
    if step in PHONE_STEPS and may_act:
        form = forms_shown[step]
        _form_class, step_service, done = PHONE_STEPS[step]
        if form.is_valid():
            try:
                step_service(actor=request.user, problem=problem, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
                problem.refresh_from_db()  # the refused step changed nothing stored
            else:
                messages.success(request, f"{problem.number or f'#{problem.pk}'}：{done}")
                return redirect("phone-problem", pk=problem.pk)
    return render(
        request,
        "projects/phone/problem.html",
        {
            "cadre": cadre,
            "problem": problem,
            "overdue": problem.is_overdue(),
            "events": problem.events.select_related("actor"),
            "may_act": may_act,
            "progress_form": forms_shown["progress"],
            "solve_form": forms_shown["solve"],
        },
    )
