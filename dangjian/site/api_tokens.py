"""API tokens that expire (settings API_TOKEN_HOURS) and end when the password changes
(accounts.signals). Kept apart from the token view: DRF loads this module while it sets up its
views."""

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from dangjian.accounts.passwords import password_change_reason


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "API_TOKEN_HOURS", 12))


def expired(token, now=None) -> bool:
    return (now or timezone.now()) - token.created > token_lifetime()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expired(token):
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取")
        reason = password_change_reason(user)
        if reason is not None:  # as for a signed-in page (accounts.middleware): a Chinese 403
            raise exceptions.PermissionDenied(reason)
        return user, token
