"""Right after signing in: 上次登录 (time and IP) as a message on the first page."""

from django.contrib import messages

from .selectors import previous_login_text


def say_previous_login(sender, request, user, **kwargs):
    if request is not None:
        messages.info(request, previous_login_text(user), fail_silently=True)
