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

from .api_tokens import expired, token_lifetime


class ObtainToken(ObtainAuthToken):
    """POST username and password: a token valid for API_TOKEN_HOURS (a new one once the old has
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
        token, _ = Token.objects.get_or_create(user=user)
        if expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        with audit_context(source="api", label="接口令牌登录", user=user):
            audit_record(AuditEntry.Action.LOGIN, user=user, request=request._request, message="接口令牌登录")
        expires = timezone.localtime(token.created + token_lifetime())
        return Response({"token": token.key, "expires": expires.isoformat(timespec="seconds")})
