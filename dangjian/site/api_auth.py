"""Signing in to the API for a token (see api_tokens for how long it lasts); every token sign-in,
granted or refused, is in the audit log. A locked account (accounts.lockout) is refused with 429
and the time its lock ends; sign-ins are limited per address (the "token" throttle rate)."""

import math

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from dangjian.accounts.lockout import locked_until, lockout_error
from dangjian.audit.services import AuditEntry, audit_context, audit_record
from dangjian.core.second_factor import check_code, enrolled, must_verify, wait_seconds

from .api_tokens import expired, token_lifetime


class ObtainToken(ObtainAuthToken):
    """POST username and password (and `otp`, the authenticator's code or a recovery code, for a
    user who must give the second factor): a token valid for API_TOKEN_HOURS (a new one once the old has
    expired); the sign-in, or its refusal, is audited."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        username = str(request.data.get("username", ""))[:150]
        if not serializer.is_valid():
            with audit_context(source="api", label="接口令牌登录"):
                audit_record(
                    AuditEntry.Action.LOGIN_FAILED,
                    actor_label=username,
                    request=request._request,
                    message=f"接口令牌登录失败：{username}",
                )
            locked = lockout_error(request, username)
            if locked:
                until = locked_until(username) or timezone.now()
                wait = max(1, math.ceil((until - timezone.now()).total_seconds()))
                return Response({"detail": locked}, status=429, headers={"Retry-After": str(wait)})
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        self.check_second_factor(request, user)
        token, _ = Token.objects.get_or_create(user=user)
        if expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        with audit_context(source="api", label="接口令牌登录", user=user):
            audit_record(AuditEntry.Action.LOGIN, user=user, request=request._request, message="接口令牌登录")
        expires = timezone.localtime(token.created + token_lifetime())
        return Response({"token": token.key, "expires": expires.isoformat(timespec="seconds")})

    def check_second_factor(self, request, user):
        """A user who must give the second factor sends `otp` too; without it, or with a wrong one,
        no token (400, the failure audited); without an authenticator set up, none either (403)."""
        if not must_verify(user):
            return
        if not enrolled(user):
            raise exceptions.PermissionDenied(
                "该账号须启用双因素认证：请先登录后台，在“双因素认证”页面完成设置，再申请接口令牌"
            )
        code = str(request.data.get("otp", "")).strip()
        if not code:
            raise exceptions.ValidationError(
                {"otp": ["该账号已启用双因素认证：请同时提交认证器上的 6 位验证码（otp）或一个恢复码"]}
            )
        wait = wait_seconds(user)
        if wait:
            raise exceptions.ValidationError({"otp": [f"验证码错误次数过多，请 {wait} 秒后再试"]})
        with audit_context(source="api", label="接口令牌登录", user=user):
            device = check_code(user, code[:32], request=request._request, source_label="接口令牌登录")
        if device is None:
            raise exceptions.ValidationError({"otp": ["验证码不正确或已经用过"]})
