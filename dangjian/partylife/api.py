import datetime

from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.registry import api_route
from dangjian.core.scope import restrict
from dangjian.members.models import Member
from dangjian.organizations.models import PartyOrganization

from . import services
from .models import Activity, AttendanceStatus, Document, DutyItem, DutyList, Meeting, Training
from .selectors import compliance, duty_completion


class AttendanceSerializer(ScopedSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label="党员")
    status = serializers.ChoiceField(
        choices=AttendanceStatus.choices, required=False, label="出席情况", help_text="出席、请假或缺席"
    )
    present = serializers.BooleanField(
        default=True, label="出席", help_text="旧写法：未给出席情况时，false 视为请假"
    )
    absence_reason = serializers.CharField(
        required=False, allow_blank=True, default="", label="请假或缺席原因", help_text="请假必填"
    )


class MeetingSerializer(ScopedModelSerializer):
    # written as lists, read back (with names) in to_representation
    attendance = AttendanceSerializer(many=True, required=False, write_only=True, label="出席记录")
    agenda = serializers.ListField(
        child=serializers.CharField(), required=False, write_only=True, label="议题"
    )
    first_topic = serializers.CharField(required=False, allow_blank=True, write_only=True, label="第一议题")

    class Meta:
        model = Meeting
        fields = [
            "id",
            *services.MEETING_FORM_FIELDS,
            "attendance",
            "agenda",
            "first_topic",
            "attendance_recorded",
            "resolution_valid",
            "resolution_invalid_reason",
            "quorum_rule",
        ]
        read_only_fields = [
            "attendance_recorded",
            "resolution_valid",
            "resolution_invalid_reason",
            "quorum_rule",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["attendance"] = [
            {
                "member": a.member_id,
                "member_name": a.member.name,
                "status": a.status,
                "status_label": a.get_status_display(),
                "present": a.present,
                "absence_reason": a.absence_reason,
            }
            for a in instance.attendance.select_related("member")
        ]
        data["agenda"] = [
            {"position": item.position, "title": item.title, "is_first_topic": item.is_first_topic}
            for item in instance.agenda.all()
        ]
        return data


class ComplianceQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, label="年度")
    organization = serializers.IntegerField(required=False, label="党组织")


class MeetingViewSet(ScopedViewSet):
    """组织生活会议。按人登记出席时应到、实到自动计算；有表决事项的，按有效人数规则判定决议是否有效。"""

    base_queryset = Meeting.objects.select_related("organization")
    serializer_class = MeetingSerializer
    filterset_fields = ["organization", "kind", "held_on"]

    def service_create(self, data):
        return services.meeting_create(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.meeting_update(actor=self.request.user, meeting=instance, **data)

    def service_delete(self, instance):
        services.meeting_delete(actor=self.request.user, meeting=instance)

    @action(detail=False, methods=["get"])
    def compliance(self, request):
        """组织生活落实情况：?year=2025&organization=<id>。"""
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or datetime.date.today().year
        organizations = restrict(request.user, PartyOrganization.objects.all(), "view")
        if query.validated_data.get("organization"):
            root = organizations.filter(pk=query.validated_data["organization"]).first()
            organizations = organizations.filter(path__startswith=root.path) if root else organizations.none()
        result = compliance(
            organizations=organizations, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
        )
        return Response(
            {
                "year": year,
                "rule": str(result.rule),
                "requirements": [
                    {
                        "organization": r.organization.pk,
                        "organization_name": r.organization.name,
                        "kind": r.kind,
                        "kind_label": r.kind_label,
                        "frequency": r.frequency,
                        "required": len(r.required),
                        "held": len(r.held),
                        "overdue": [s.label for s in r.overdue],
                        "current": r.current.label if r.current else None,
                        "current_held": r.current_held,
                    }
                    for r in result.requirements
                ],
            }
        )


class TrainingParticipantSerializer(ScopedSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label="党员")
    hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, label="学时"
    )


class TrainingSerializer(ScopedModelSerializer):
    participants = TrainingParticipantSerializer(many=True, required=False, write_only=True, label="参训人员")
    attendance_count = serializers.IntegerField(required=False, min_value=0, label="参训人次")

    class Meta:
        model = Training
        fields = ["id", *services.TRAINING_FORM_FIELDS, "participants"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["participants"] = [
            {"member": p.member_id, "hours": p.hours} for p in instance.participants.all()
        ]
        return data


class RecordViewSet(ScopedViewSet):
    save = None

    def service_create(self, data):
        return self.save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return self.save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.record_delete(actor=self.request.user, record=instance)


class TrainingViewSet(RecordViewSet):
    """教育培训（参训人次、学时，可逐人登记参训人员）。"""

    base_queryset = Training.objects.all()
    serializer_class = TrainingSerializer
    filterset_fields = ["kind", "organization", "start_on"]
    save = staticmethod(services.training_save)


class ActivityParticipantSerializer(ScopedSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label="党员")
    place = serializers.CharField(required=False, allow_blank=True, default="", label="服务社区（地点）")
    content = serializers.CharField(required=False, allow_blank=True, default="", label="服务内容")
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, label="时长"
    )


class ActivitySerializer(ScopedModelSerializer):
    participants = ActivityParticipantSerializer(many=True, required=False, write_only=True, label="参与党员")

    class Meta:
        model = Activity
        fields = ["id", *services.ACTIVITY_FORM_FIELDS, "enterprises", "participants"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["participants"] = [
            {"member": p.member_id, "place": p.place, "content": p.content, "hours": p.hours}
            for p in instance.participants.all()
        ]
        return data


class ActivityViewSet(RecordViewSet):
    """活动（参与企业、捐款；在职党员进基层逐人登记）。"""

    base_queryset = Activity.objects.prefetch_related("enterprises")
    serializer_class = ActivitySerializer
    filterset_fields = ["kind", "organization", "held_on"]
    save = staticmethod(services.activity_save)


class DocumentSerializer(ScopedModelSerializer):
    class Meta:
        model = Document
        fields = ["id", *services.DOCUMENT_FORM_FIELDS]


class DocumentViewSet(RecordViewSet):
    """发文。"""

    base_queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_fields = ["category", "issued_on"]
    save = staticmethod(services.document_save)


class DutyItemSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, label="当前状态")

    class Meta:
        model = DutyItem
        fields = ["id", "duty_list", *services.DUTY_ITEM_FIELDS, "state"]
        read_only_fields = ["duty_list"]


class DutyListSerializer(ScopedModelSerializer):
    items = DutyItemSerializer(many=True, required=False, label="事项")
    completion = serializers.SerializerMethodField(label="完成情况")

    class Meta:
        model = DutyList
        fields = ["id", "organization", "year", "title", "standard", "items", "completion"]
        read_only_fields = ["standard"]

    def get_completion(self, obj) -> dict:
        done, total = duty_completion(obj)
        return {"done": done, "total": total, "overdue": sum(1 for i in obj.items.all() if i.state == "逾期")}


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField(label="进展")
    on = serializers.DateField(required=False, label="日期")


class CompleteSerializer(serializers.Serializer):
    on = serializers.DateField(label="完成日期")


class DutyListViewSet(ScopedViewSet):
    """责任清单（书记抓党建）：事项、完成率、逾期事项。"""

    base_queryset = DutyList.objects.select_related("organization").prefetch_related("items")
    serializer_class = DutyListSerializer
    filterset_fields = ["organization", "year"]

    def service_create(self, data):
        items = [
            {k: v for k, v in item.items() if k in services.DUTY_ITEM_FIELDS}
            for item in data.pop("items", [])
        ]
        return services.duty_list_create(actor=self.request.user, items=items, **data)

    def service_update(self, instance, data):
        return services.duty_list_rename(
            actor=self.request.user, duty_list=instance, title=data.get("title", instance.title)
        )

    def service_delete(self, instance):
        services.record_delete(actor=self.request.user, record=instance)

    def _item(self, pk, item_id):
        duty_list = self.get_object()
        return get_object_or_404(duty_list.items.all(), pk=item_id)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>\d+)/progress",
        serializer_class=ProgressSerializer,
        permission_classes=[ActionPermission],
    )
    def progress(self, request, pk=None, item_id=None):
        """记录事项进展。"""
        item = self._item(pk, item_id)
        payload = ProgressSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.duty_item_progress(actor=request.user, item=item, **payload.validated_data)
        return Response(DutyItemSerializer(DutyItem.objects.get(pk=item.pk)).data)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>\d+)/complete",
        serializer_class=CompleteSerializer,
        permission_classes=[ActionPermission],
    )
    def complete(self, request, pk=None, item_id=None):
        """事项完成。"""
        item = self._item(pk, item_id)
        payload = CompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.duty_item_complete(actor=request.user, item=item, **payload.validated_data)
        return Response(DutyItemSerializer(DutyItem.objects.get(pk=item.pk)).data)


api_route("meetings", MeetingViewSet, basename="meeting")
api_route("trainings", TrainingViewSet, basename="training")
api_route("activities", ActivityViewSet, basename="activity")
api_route("documents", DocumentViewSet, basename="document")
api_route("duty-lists", DutyListViewSet, basename="dutylist")
