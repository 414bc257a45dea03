"""The enterprise contact's own small portal (works on a phone): submit a request with files,
follow its timeline, supply missing materials, confirm and rate; see the visits and events the
enterprise took part in, and the contact's unread messages (站内消息). A contact sees only their
own enterprise."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dangjian.accounts.forms import GrantAuthenticationForm
from dangjian.cadres.models import Cadre
from dangjian.core import second_factor
from dangjian.core.admin_base import form_errors_from
from dangjian.core.forms import MultipleFileField
from dangjian.core.registry import todos
from dangjian.enterprises.models import Enterprise
from dangjian.notifications.services import inbox, unread_count

from . import services
from .models import RequestCategory, RequestKind, RequestStatus
from .selectors import enterprise_activities, request_list


def contact_enterprises(user):
    ids = user.grants.filter(role__code="enterprise_contact", enterprise__isnull=False).values(
        "enterprise_id"
    )
    return Enterprise.objects.filter(pk__in=ids).order_by("name")


def contact_enterprise(request):
    """(the enterprise the contact chose, or their first; all their enterprises)."""
    enterprises = list(contact_enterprises(request.user))
    if not enterprises:
        raise PermissionDenied("此门户供企业联络员使用")
    chosen = request.GET.get("enterprise") or request.POST.get("enterprise")
    return next((e for e in enterprises if str(e.pk) == chosen), enterprises[0]), enterprises


class NewRequestForm(forms.Form):
    kind = forms.ChoiceField(label="事项类型", choices=RequestKind.choices)
    category = forms.ModelChoiceField(
        label="类别", queryset=RequestCategory.objects.filter(is_active=True), empty_label=None
    )
    title = forms.CharField(label="事项名称", max_length=200)
    description = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 5}))
    # documents as well as photos: neither images only nor the camera only
    files = MultipleFileField(label="附件", required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(i, f"{i} 分") for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="评价", required=False, max_length=300)


class ResubmitForm(forms.Form):
    note = forms.CharField(label="补充说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="补充材料", required=False)


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    next_page = "portal-home"
    authentication_form = GrantAuthenticationForm
    redirect_authenticated_user = True


@login_required(login_url="portal-login")
def verify(request):
    """/portal/verify/: the code of a contact who enrolled in the second factor, after the password."""
    return second_factor.verify_page(request, template_name="portal/verify.html", default_next="portal-home")


@login_required(login_url="portal-login")
def home(request):
    enterprise, enterprises = contact_enterprise(request)
    requests = request_list(user=request.user, enterprise=enterprise)
    return render(
        request,
        "portal/home.html",
        {
            "enterprise": enterprise,
            "enterprises": enterprises,
            "requests": requests[:50],
            "contact_cadre": contact_cadre(enterprise),
            "todos": todos(request.user, timezone.localdate()),
            "notices": inbox(request.user).filter(read_at__isnull=True)[:20],
            "notice_count": unread_count(request.user),
        },
    )


def contact_cadre(enterprise):
    """The enterprise's designated cadre (一企一人), whom the contact can call: the cadre record of
    the user designated, or None."""
    if not enterprise.contact_cadre_id:
        return None
    return Cadre.objects.filter(user_id=enterprise.contact_cadre_id, is_active=True).first()


@login_required(login_url="portal-login")
def new(request):
    enterprise, _ = contact_enterprise(request)
    form = NewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_submit(
                actor=request.user,
                enterprise=enterprise,
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                files=data["files"],
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已提交，事项编号 {created.number}")
            return redirect("portal-detail", pk=created.pk)
    return render(request, "portal/new.html", {"enterprise": enterprise, "form": form})


@login_required(login_url="portal-login")
def detail(request, pk):
    contacts = contact_enterprises(request.user)
    if not contacts.exists():
        raise PermissionDenied("此门户供企业联络员使用")
    item = get_object_or_404(request_list(user=request.user).filter(enterprise__in=contacts), pk=pk)
    rate_form = RateForm(request.POST if "rate" in request.POST else None)
    resubmit_form = ResubmitForm(
        request.POST if "resubmit" in request.POST else None,
        request.FILES if "resubmit" in request.POST else None,
    )
    try:
        if "rate" in request.POST and rate_form.is_valid():
            services.request_rate(actor=request.user, request=item, **rate_form.cleaned_data)
            messages.success(request, "感谢您的评价")
            return redirect("portal-detail", pk=item.pk)
        if "resubmit" in request.POST and resubmit_form.is_valid():
            services.request_resubmit(
                actor=request.user,
                request=item,
                on=timezone.localdate(),
                note=resubmit_form.cleaned_data["note"],
                files=resubmit_form.cleaned_data["files"],
            )
            messages.success(request, "已补充材料并重新提交")
            return redirect("portal-detail", pk=item.pk)
    except ValidationError as exc:
        form_errors_from(exc, rate_form if "rate" in request.POST else resubmit_form)
        if item.status != (RequestStatus.CLOSED if "rate" in request.POST else RequestStatus.RETURNED):
            messages.error(request, "；".join(exc.messages))  # the form is not shown in this state
    return render(
        request,
        "portal/detail.html",
        {
            "item": item,
            "events": item.events.all(),
            "files": item.files.all(),
            "rate_form": rate_form,
            "resubmit_form": resubmit_form,
            "closed": item.status == RequestStatus.CLOSED,
            "returned": item.status == RequestStatus.RETURNED,
        },
    )


@login_required(login_url="portal-login")
def visits(request):
    """走访、座谈会、早餐会等活动 the enterprise took part in, with the cadres and the problems raised."""
    enterprise, enterprises = contact_enterprise(request)
    activities = enterprise_activities(enterprise)[:50]
    return render(
        request,
        "portal/visits.html",
        {"enterprise": enterprise, "enterprises": enterprises, "activities": activities},
    )
