"""A changed password ends the user's API tokens (a token got with the old password no longer
signs in) and is kept, as its hash, in the user's password history (the last PASSWORD_HISTORY)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from .models import PasswordHistory, User
from .passwords import history_length


@receiver(post_save, sender=User, dispatch_uid="revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender, instance, created, raw=False, **kwargs):
    if raw or not getattr(instance, "_password_changed", False):
        return
    instance._password_changed = False
    if not created:
        Token.objects.filter(user=instance).delete()
    if instance.has_usable_password():
        PasswordHistory.objects.create(user=instance, password=instance.password)
        kept = instance.password_history.order_by("-created_at", "-id").values_list("pk", flat=True)
        old = list(kept[max(history_length(), 1) :])
        if old:
            PasswordHistory.objects.filter(pk__in=old).delete()
