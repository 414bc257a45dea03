from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangjian.core.api_permissions import ActionPermission
from dangjian.core.registry import api_route

from . import services
from .models import Grant, Role, User


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, label="初始密码", help_text="仅新建账号时；用户首次登录时须修改"
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "title",
            "email",
            "is_active",
            "last_login",
            "must_change_password",
            "password_changed_at",
            "password",
        ]
        read_only_fields = ["last_login", "must_change_password", "password_changed_at"]


class PasswordResetSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        label="指定新密码",
        help_text="留空则生成随机临时密码",
    )


class PasswordResetAnswerSerializer(serializers.Serializer):
    temporary_password = serializers.CharField(allow_null=True, label="临时密码（只返回这一次）")
    must_change_password = serializers.BooleanField(label="下次登录须修改密码")


class UserViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """用户（系统管理员维护；账号只停用不删除）。"""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    search_fields = ["username", "full_name"]

    def perform_create(self, serializer):
        password = serializer.validated_data.pop("password", None)
        serializer.instance = services.user_save(
            actor=self.request.user, user=User(**serializer.validated_data), password=password
        )

    def perform_update(self, serializer):
        password = serializer.validated_data.pop("password", None)
        user = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(user, key, value)
        serializer.instance = services.user_save(actor=self.request.user, user=user, password=password)

    @extend_schema(request=PasswordResetSerializer, responses=PasswordResetAnswerSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="reset-password",
        permission_classes=[ActionPermission],
        serializer_class=PasswordResetSerializer,
    )
    def reset_password(self, request, pk=None):
        """重置密码：随机临时密码（只返回这一次）或指定的密码，用户下次登录时须修改。"""
        if not request.user.has_perm("accounts.change_user"):
            raise PermissionDenied("您没有重置密码的权限")
        user = self.get_object()
        data = PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data.get("password") or None
        password = services.password_reset(actor=request.user, user=user, password=chosen)
        answer = {"temporary_password": None if chosen else password, "must_change_password": True}
        return Response(PasswordResetAnswerSerializer(answer).data, headers={"Cache-Control": "no-store"})


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["id", "code", "name", "description", "scope_kind", "builtin"]
        read_only_fields = ["builtin"]


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    """角色（安全管理员维护）。"""

    queryset = Role.objects.all()
    serializer_class = RoleSerializer


class GrantSerializer(serializers.ModelSerializer):
    scope_label = serializers.CharField(read_only=True, label="范围")

    class Meta:
        model = Grant
        fields = ["id", *services.GRANT_FIELDS, "scope_label"]


class GrantViewSet(viewsets.ModelViewSet):
    """授权：角色 × 范围（安全管理员维护）。"""

    queryset = Grant.objects.select_related("user", "role", "organization", "enterprise")
    serializer_class = GrantSerializer
    filterset_fields = ["user", "role", "organization", "enterprise"]

    def perform_create(self, serializer):
        serializer.instance = services.grant_save(
            actor=self.request.user, grant=Grant(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        grant = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(grant, key, value)
        serializer.instance = services.grant_save(actor=self.request.user, grant=grant)

    def perform_destroy(self, instance):
        services.grant_delete(actor=self.request.user, grant=instance)


api_route("users", UserViewSet, basename="user")
api_route("roles", RoleViewSet, basename="role")
api_route("grants", GrantViewSet, basename="grant")
