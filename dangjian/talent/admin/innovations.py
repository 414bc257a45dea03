"""Back office of the innovations (科技创新): 重点科技项目, 科技成果, 专利 and 校地合作, the fields of
each kind grouped apart, the universities of a cooperation entered as one text of names.

Every write goes through talent.services; every list starts from the user's scope."""

from django import forms
from django.contrib import admin, messages
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.core.admin_base import ScopedAdmin
from dangjian.core.scope import restrict
from dangjian.enterprises.models import Enterprise

from .. import services
from ..models import Innovation, InnovationKind, Review
from .common import has_submission, review_state


class InnovationForm(forms.ModelForm):
    universities = forms.CharField(
        label="合作高校",
        max_length=1000,
        required=False,
        widget=UnfoldAdminTextInputWidget,
        help_text="仅校地合作填写；多所高校用“、”分隔，如：西北大学、西安交通大学",
    )

    class Meta:
        model = Innovation
        fields = services.INNOVATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "universities" in self.fields:
            self.initial["universities"] = universities_text(self.instance)


def universities_text(innovation) -> str:
    return "、".join(innovation.universities.values_list("name", flat=True))


@admin.register(Innovation)
class InnovationAdmin(ScopedAdmin):
    form = InnovationForm
    list_display = ["name", "kind", "level", "enterprise", "dated_on", "review"]
    list_filter = ["kind", "level", "review"]
    search_fields = ["name", "patent_number", "holder", "enterprise__name", "universities__name"]
    list_select_related = ["enterprise"]
    readonly_fields = ["universities_shown", review_state]

    def get_fieldsets(self, request, obj=None):
        read_only = obj is not None and not self.has_change_permission(request, obj)
        fieldsets = [
            (
                "基本信息",
                {"fields": ["name", "kind", "level", "enterprise", "dated_on"]},
            ),
            ("重点科技项目", {"fields": ["ends_on", "funding"], "description": "仅重点科技项目填写"}),
            ("专利", {"fields": ["patent_kind", "patent_number", "holder"], "description": "仅专利填写"}),
            (
                "校地合作",
                {
                    "fields": ["form", "universities_shown" if read_only else "universities"],
                    "description": "仅校地合作填写",
                },
            ),
            ("备注", {"fields": ["note"]}),
        ]
        if has_submission(obj):
            fieldsets.insert(0, ("企业提交", {"fields": [review_state]}))
        return fieldsets

    @admin.display(description="合作高校")
    def universities_shown(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return universities_text(obj) or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "enterprise" and field is not None:
            field.queryset = restrict(request.user, Enterprise.objects.order_by("name"), "view")
        return field

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.INNOVATION_FIELDS if k in form.cleaned_data}
        universities = form.cleaned_data.get("universities")
        if universities is None and data.get("kind") != InnovationKind.COOPERATION:
            universities = ""
        innovation = services.innovation_save(
            actor=request.user, instance=obj if change else None, universities=universities, **data
        )
        obj.pk = innovation.pk
        if not change:
            obj._state.adding = False
            if innovation.review != Review.CONFIRMED:
                messages.info(request, f"“{innovation.name}”已提交，待园区确认")

    def delete_model(self, request, obj):
        services.innovation_delete(actor=request.user, innovation=obj)
