"""本企业人才与创新 in the enterprise portal (works on a phone): the contact's enterprise's talents
(ID and phone masked), platforms, patents and other innovations, experts and key projects, each
submission with its state (待确认, 已确认, 已退回) and the reason it was returned; pages to submit
a new talent or innovation for the zone to confirm, and to correct and resubmit a returned one.
A contact sees and changes only their own enterprises' records (another's is not found)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dangjian.core.admin_base import form_errors_from
from dangjian.core.scope import restrict
from dangjian.servicedesk.portal import contact_enterprise, contact_enterprises

from . import services
from .models import (
    DATE_NAMES,
    CooperationForm,
    Innovation,
    InnovationKind,
    InnovationLevel,
    PatentKind,
    Review,
    Talent,
    TalentCategory,
    TalentSource,
)
from .selectors import enterprise_records

LOGIN = "portal-login"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _optional(choices):
    return [("", "—"), *choices]


def _masked(record, name) -> str:
    value = getattr(record, name)
    return record._meta.get_field(name).masked(value) if value else ""


# -- forms ----------------------------------------------------------------------------------------
class TalentForm(forms.Form):
    """A talent of the contact's enterprise, as the contact submits it. On a correction the ID
    number and the phone are not shown again: left empty, they stay as they were."""

    name = forms.CharField(label="姓名", max_length=50)
    category = forms.ChoiceField(label="人才类别", choices=[("", "请选择"), *TalentCategory.choices])
    source = forms.ChoiceField(label="来源", choices=_optional(TalentSource.choices), required=False)
    id_number = forms.CharField(label="公民身份号码", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    education = forms.CharField(label="学历", max_length=50, required=False)
    title = forms.CharField(label="职称", max_length=100, required=False)
    field = forms.CharField(label="专业领域", max_length=200, required=False)
    intake_on = forms.DateField(label="入库日期", widget=_date_input())
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, talent: Talent | None = None):
        initial = None
        if talent is not None:
            initial = {name: getattr(talent, name) for name in self.base_fields}
            initial.update(id_number="", phone="")
        super().__init__(data, initial=initial)
        self.talent = talent
        if talent is not None:
            for name in ("id_number", "phone"):
                shown = _masked(talent, name)
                if shown:
                    self.fields[name].help_text = f"已填写 {shown}，不修改请留空"

    def service_fields(self) -> tuple[dict, None]:
        """(the talent's fields, None) for the service; on a correction an empty ID number or
        phone keeps the stored one."""
        data = dict(self.cleaned_data)
        if self.talent is not None:
            for name in ("id_number", "phone"):
                if not data[name]:
                    data.pop(name)
        return data, None


# the fields each kind of innovation is submitted with
KIND_FIELDS = {
    InnovationKind.PATENT: ("name", "patent_kind", "patent_number", "holder", "dated_on", "note"),
    InnovationKind.KEY_PROJECT: ("name", "level", "dated_on", "ends_on", "funding", "note"),
    InnovationKind.ACHIEVEMENT: ("name", "level", "dated_on", "note"),
    InnovationKind.COOPERATION: ("name", "universities", "form", "dated_on", "note"),
}


class InnovationForm(forms.Form):
    """A patent, key project, achievement or university cooperation of the contact's enterprise:
    only the fields of its kind, the date named as that kind's date (授权日期, 立项日期, …)."""

    name = forms.CharField(label="名称", max_length=300)
    patent_kind = forms.ChoiceField(label="专利类型", choices=_optional(PatentKind.choices), required=False)
    patent_number = forms.CharField(label="专利号", max_length=50, required=False)
    holder = forms.CharField(label="专利权人", max_length=200, required=False, help_text="不填即为本企业")
    level = forms.ChoiceField(label="级别", choices=_optional(InnovationLevel.choices), required=False)
    universities = forms.CharField(
        label="合作高校", max_length=1000, required=False, help_text="多所高校用顿号（、）分隔"
    )
    form = forms.ChoiceField(label="合作形式", choices=_optional(CooperationForm.choices), required=False)
    dated_on = forms.DateField(label="日期", widget=_date_input())
    ends_on = forms.DateField(label="结题日期", required=False, widget=_date_input())
    funding = forms.DecimalField(
        label="项目经费（万元）", required=False, max_digits=16, decimal_places=4, min_value=0
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, kind, innovation: Innovation | None = None):
        initial = None
        if innovation is not None:
            initial = {
                name: getattr(innovation, name) for name in KIND_FIELDS[kind] if name != "universities"
            }
            if kind == InnovationKind.COOPERATION:
                initial["universities"] = "、".join(u.name for u in innovation.universities.all())
        super().__init__(data, initial=initial)
        self.kind = kind
        self.fields = {name: self.fields[name] for name in KIND_FIELDS[kind]}
        self.fields["dated_on"].label = DATE_NAMES[kind]
        if kind == InnovationKind.COOPERATION:
            self.fields["universities"].required = True

    def service_fields(self) -> tuple[dict, object]:
        """(the record's fields, the universities or None) for the service."""
        data = dict(self.cleaned_data)
        universities = data.pop("universities", None)
        return data, universities if self.kind == InnovationKind.COOPERATION else None


# -- pages ----------------------------------------------------------------------------------------
@login_required(login_url=LOGIN)
def home(request):
    """/portal/talent/: what the enterprise has, and the state of what it submitted."""
    enterprise, enterprises = contact_enterprise(request)
    records = enterprise_records(request.user, enterprise)
    talents = list(records["talents"])
    for talent in talents:
        talent.id_masked, talent.phone_masked = _masked(talent, "id_number"), _masked(talent, "phone")
    return render(
        request,
        "portal/talent/home.html",
        {
            "enterprise": enterprise,
            "enterprises": enterprises,
            "talents": talents,
            "supports": records["supports"],
            "platforms": records["platforms"],
            "patents": records["patents"],
            "innovations": records["innovations"],
            "experts": records["experts"],
            "projects": records["projects"],
            "returned": Review.RETURNED,
            "may_add_talent": request.user.has_perm("talent.add_talent"),
            "may_add_innovation": request.user.has_perm("talent.add_innovation"),
        },
    )


def _may_add(user, model):
    if not user.has_perm(f"talent.add_{model._meta.model_name}"):
        raise PermissionDenied(f"您没有提交{model._meta.verbose_name}的权限")


@login_required(login_url=LOGIN)
def talent_new(request):
    """/portal/talent/new/: a talent of the enterprise, submitted for the zone to confirm."""
    enterprise, _ = contact_enterprise(request)
    _may_add(request.user, Talent)
    form = TalentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields, _ = form.service_fields()
        try:
            talent = services.talent_save(actor=request.user, enterprise=enterprise, **fields)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已提交人才“{talent.name}”，待园区确认")
            return redirect(f"{reverse('portal-talent')}?enterprise={enterprise.pk}")
    return render(
        request,
        "portal/talent/talent_form.html",
        {"enterprise": enterprise, "form": form, "title": "登记人才"},
    )


def _kind_links(enterprise):
    base = reverse("portal-innovation-new")
    return [
        (label, f"{base}?kind={value}&enterprise={enterprise.pk}") for value, label in InnovationKind.choices
    ]


@login_required(login_url=LOGIN)
def innovation_new(request):
    """/portal/talent/innovation/new/?kind=patent: a patent (the default), key project,
    achievement or university cooperation of the enterprise, submitted for the zone to confirm."""
    enterprise, _ = contact_enterprise(request)
    _may_add(request.user, Innovation)
    kind = request.GET.get("kind") or request.POST.get("kind") or InnovationKind.PATENT
    context = {"enterprise": enterprise, "kinds": _kind_links(enterprise)}
    if kind not in InnovationKind.values:
        context["error"] = f"类型“{kind}”不可提交，请选择专利、重点科技项目、科技成果或校地合作"
        return render(request, "portal/talent/innovation_form.html", context, status=400)
    kind = InnovationKind(kind)
    form = InnovationForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        fields, universities = form.service_fields()
        try:
            innovation = services.innovation_save(
                actor=request.user, enterprise=enterprise, kind=kind, universities=universities, **fields
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已提交{innovation.get_kind_display()}“{innovation.name}”，待园区确认")
            return redirect(f"{reverse('portal-talent')}?enterprise={enterprise.pk}")
    context.update(form=form, kind=kind, title=f"提交{kind.label}")
    return render(request, "portal/talent/innovation_form.html", context)


def _own(request, model, pk):
    """A record of one of the contact's enterprises, within their scope; another's is not found."""
    enterprises = contact_enterprises(request.user)
    if not enterprises.exists():
        raise PermissionDenied("此门户供企业联络员使用")
    records = restrict(request.user, model).filter(enterprise__in=enterprises).select_related("enterprise")
    return get_object_or_404(records, pk=pk)


def _resubmit(request, record, form, **extra):
    """Resubmit a returned `record` from its bound correction `form`: the redirect to the list,
    or None with the form carrying why not (the record read again as it is stored)."""
    if request.method != "POST":
        return None, record
    if record.review != Review.RETURNED:
        messages.error(
            request, f"“{record.name}”{record.get_review_display()}，只有被退回的提交可以修改后重新提交"
        )
        return None, record
    if not form.is_valid():
        return None, record
    fields, universities = form.service_fields()
    if universities is not None or isinstance(record, Innovation):
        fields["universities"] = universities
    try:
        services.submission_resubmit(actor=request.user, record=record, **fields)
    except ValidationError as exc:
        form_errors_from(exc, form)
        return None, type(record).objects.select_related("enterprise").get(pk=record.pk)
    messages.success(request, f"已修改并重新提交“{record.name}”，待园区确认")
    return redirect(f"{reverse('portal-talent')}?enterprise={record.enterprise_id}"), record


@login_required(login_url=LOGIN)
def talent_detail(request, pk):
    """/portal/talent/talents/<pk>/: a talent and its state; a returned one corrected and resubmitted."""
    talent = _own(request, Talent, pk)
    returned = talent.review == Review.RETURNED
    form = TalentForm(request.POST if returned and request.method == "POST" else None, talent=talent)
    done, talent = _resubmit(request, talent, form)
    if done:
        return done
    talent.id_masked, talent.phone_masked = _masked(talent, "id_number"), _masked(talent, "phone")
    return render(
        request,
        "portal/talent/talent_detail.html",
        {"talent": talent, "form": form if returned else None, "enterprise": talent.enterprise},
    )


@login_required(login_url=LOGIN)
def innovation_detail(request, pk):
    """/portal/talent/innovations/<pk>/: an innovation and its state; a returned one corrected and
    resubmitted."""
    innovation = _own(request, Innovation, pk)
    returned = innovation.review == Review.RETURNED
    form = InnovationForm(
        request.POST if returned and request.method == "POST" else None,
        kind=InnovationKind(innovation.kind),
        innovation=innovation,
    )
    done, innovation = _resubmit(request, innovation, form)
    if done:
        return done
    return render(
        request,
        "portal/talent/innovation_detail.html",
        {
            "innovation": innovation,
            "universities": innovation.universities.all(),
            "form": form if returned else None,
            "enterprise": innovation.enterprise,
        },
    )
