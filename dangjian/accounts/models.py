from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class CheckedUserManager(UserManager):
    """create_user and create_superuser (the createsuperuser command, also with --noinput) check
    a given password against the policy (AUTH_PASSWORD_VALIDATORS) like every other path."""

    def _create_user_object(self, username, email, password, **extra_fields):
        user = super()._create_user_object(username, email, None, **extra_fields)
        if password is not None:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, user)
            user.set_password(password)
        return user


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    title = models.CharField("职务", max_length=100, blank=True)
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员新建账号或重置密码后自动设置；本人修改密码后解除。",
    )
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)

    objects = CheckedUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False  # a reset sets it again (accounts.services.password_reset)
        # once saved, accounts.signals revokes the API tokens and keeps the password's hash in
        # the history
        self._password_changed = True

    def get_short_name(self):
        return self.full_name or self.username


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords (settings PASSWORD_HISTORY of them, the current one
    included): a new password may not be one of them (passwords.PasswordHistoryValidator)."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["user_id", "-created_at", "-id"]
        default_permissions = ()  # nobody is given the hashes, not even to read

    def __str__(self):
        return f"{self.user} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class Role(models.Model):
    class ScopeKind(models.TextChoices):
        GLOBAL = "global", "全局（不含业务数据范围）"
        ORGANIZATION = "organization", "党组织及其下级"
        ENTERPRISE = "enterprise", "企业"
        ASSIGNED = "assigned", "指定记录"

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("角色名称", max_length=50, unique=True)
    description = models.TextField("说明", blank=True)
    scope_kind = models.CharField("授权范围类型", max_length=20, choices=ScopeKind.choices)
    builtin = models.BooleanField("内置角色", default=False, editable=False)
    permissions = models.ManyToManyField(Permission, verbose_name="权限", blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self):
        return self.name


class Grant(models.Model):
    """A role given to a user over a scope. Exactly one of organization, enterprise or an
    assigned record is set, according to the role's scope kind; none for global roles."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT, related_name="grants")
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织（含下级）",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name="记录类型", on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField("记录编号", null=True, blank=True)
    assigned_object = GenericForeignKey("content_type", "object_id")
    valid_from = models.DateField("生效日期", default=timezone.localdate)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "授权"
        verbose_name_plural = "授权"
        ordering = ["user_id", "id"]
        indexes = [models.Index(fields=["user", "valid_from"])]

    def __str__(self):
        return f"{self.user} · {self.role} · {self.scope_label}"

    @property
    def is_global(self):
        return not (self.organization_id or self.enterprise_id or self.content_type_id)

    @property
    def scope_label(self):
        if self.organization_id:
            return f"{self.organization.name}及其下级"
        if self.enterprise_id:
            return str(self.enterprise.name)
        if self.content_type_id:
            return f"{self.content_type.name} #{self.object_id}"
        return "全局"

    def clean(self):
        kind = self.role.scope_kind if self.role_id else None
        targets = [
            bool(self.organization_id),
            bool(self.enterprise_id),
            bool(self.content_type_id or self.object_id),
        ]
        if sum(targets) > 1:
            raise ValidationError("党组织、企业、指定记录只能选择其一")
        expected = {
            Role.ScopeKind.GLOBAL: "none",
            Role.ScopeKind.ORGANIZATION: "organization",
            Role.ScopeKind.ENTERPRISE: "enterprise",
            Role.ScopeKind.ASSIGNED: "assigned",
        }.get(kind)
        if expected == "none" and any(targets):
            raise ValidationError({"role": f"角色“{self.role}”是全局角色，不能限定党组织、企业或记录"})
        if expected == "organization" and not self.organization_id:
            raise ValidationError({"organization": f"角色“{self.role}”需要指定党组织"})
        if expected == "enterprise" and not self.enterprise_id:
            raise ValidationError({"enterprise": f"角色“{self.role}”需要指定企业"})
        if expected == "assigned" and not (self.enterprise_id or (self.content_type_id and self.object_id)):
            raise ValidationError({"object_id": f"角色“{self.role}”需要指定企业或记录"})
        if expected == "assigned" and self.organization_id:
            raise ValidationError({"organization": f"角色“{self.role}”只能授权到企业或指定记录"})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "失效日期不能早于生效日期"})

    def is_active_on(self, day):
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)
