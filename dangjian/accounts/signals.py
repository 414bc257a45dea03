"""A changed password ends the user's API tokens: a token got with the old password no longer
signs in."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from .models import User


@receiver(post_save, sender=User, dispatch_uid="revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender, instance, created, **kwargs):
    if getattr(instance, "_password_changed", False):
        instance._password_changed = False
        if not created:
            Token.objects.filter(user=instance).delete()
