from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.utils import timezone

from . import chain
from .bulk import bulk_insert


class ImmutableError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Many entries at once, chained in the order given."""
        objs = list(objs)
        if any(obj.pk is not None for obj in objs):
            raise ImmutableError("审计日志不可修改")
        with transaction.atomic(using=self.db, savepoint=False):
            chain.seal(self.model, objs, self.db)
            if args or set(kwargs) - {"batch_size"}:
                return super().bulk_create(objs, *args, **kwargs)
            return bulk_insert(self.model, objs, using=self.db, **kwargs)

    def update(self, **kwargs):
        raise ImmutableError("审计日志不可修改")

    def delete(self):
        raise ImmutableError("审计日志不可删除")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        REVEAL = "reveal", "查看个人敏感信息"
        IMPORT = "import", "导入台账"
        EXPORT = "export", "导出台账"
        EVENT = "event", "业务事件"

    class Source(models.TextChoices):
        WEB = "web", "后台页面"
        API = "api", "接口"
        COMMAND = "command", "管理命令"
        IMPORT = "import", "台账导入"
        SYSTEM = "system", "系统"

    # set before the entry is sealed (its hash covers it), so a default rather than auto_now_add
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=150, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.SYSTEM)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    # the hash chain (chain.py): place in the chain, the previous entry's hash, this entry's hash
    seq = models.PositiveBigIntegerField("链序号", unique=True, editable=False)
    prev_hash = models.CharField("前序哈希", max_length=64, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("审计日志不可修改")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain.seal(type(self), [self], using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("审计日志不可删除")

    @property
    def changes(self):
        """{field: (before, after)} for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        return {
            k: (before.get(k), after.get(k))
            for k in dict.fromkeys([*before, *after])
            if before.get(k) != after.get(k)
        }
