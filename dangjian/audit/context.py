"""Who is acting right now: a web or API request, a management command, an import.

Changes saved anywhere below the context are attributed to it. A request stores itself, so
the user is read when the change happens (DRF token authentication sets it late)."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class AuditContext:
    source: str = "system"
    label: str = "系统"
    user: object = None
    request: object = None
    ip: str | None = None

    @property
    def actor(self):
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None

    @property
    def actor_label(self):
        actor = self.actor
        if actor is not None:
            return (
                actor.get_username()
                if self.source != "command"
                else f"{actor.get_username()}（{self.label}）"
            )
        return self.label


_current: ContextVar[AuditContext | None] = ContextVar("dangjian_audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or AuditContext()


@contextlib.contextmanager
def audit_context(*, source="system", label="系统", user=None, request=None, ip=None):
    outer = _current.get()
    if outer is not None and user is None and request is None:
        user, request, ip = outer.user, outer.request, ip or outer.ip
    token = _current.set(AuditContext(source=source, label=label, user=user, request=request, ip=ip))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


@contextlib.contextmanager
def acting_as(user):
    """Attribute changes to `user` within the current context (keeping its source and IP)."""
    ctx = current()
    if user is None or ctx.actor is user or (ctx.actor is not None and ctx.actor.pk == user.pk):
        yield
        return
    with audit_context(source=ctx.source, label=ctx.label, user=user, ip=ctx.ip):
        yield
