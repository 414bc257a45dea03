from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import AuditEntry
from .services import audit_record, is_audited, snapshot


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        audit_record(AuditEntry.Action.CREATE, obj=instance, after=after)
        return
    changed = [k for k in after if before.get(k) != after.get(k)]
    if changed:
        audit_record(
            AuditEntry.Action.UPDATE,
            obj=instance,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )


def _post_delete(sender, instance, **kwargs):
    if not is_audited(sender):
        return
    audit_record(AuditEntry.Action.DELETE, obj=instance, before=snapshot(instance))


def _m2m_changed(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not is_audited(type(instance)):
        return
    field = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), "关联"
    )
    ids = sorted(pk_set or [])
    if action == "post_add":
        audit_record(AuditEntry.Action.UPDATE, obj=instance, after={field: {"新增": ids}})
    elif action == "post_remove":
        audit_record(AuditEntry.Action.UPDATE, obj=instance, before={field: {"移除": ids}})
    else:
        audit_record(AuditEntry.Action.UPDATE, obj=instance, before={field: "全部清除"})


def _logged_in(sender, request, user, **kwargs):
    audit_record(AuditEntry.Action.LOGIN, obj=user, user=user, request=request, message="登录成功")


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        # a sign-out by the session limits says why (dangjian.site.sessions)
        message = getattr(request, "logout_reason", None) or "退出登录"
        audit_record(AuditEntry.Action.LOGOUT, obj=user, user=user, request=request, message=message)


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        AuditEntry.Action.LOGIN_FAILED,
        request=request,
        actor_label=username or "（未填用户名）",
        message=f"登录失败：用户名“{username}”",
    )


def connect():
    pre_save.connect(_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit_m2m")
    user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
