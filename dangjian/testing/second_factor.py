"""The second factor in tests: an authenticator for a user (its key known, so a test computes the
code an app would show, as django-otp does), and signing in with it.

`Client.force_login` stands for "signed in, code given" in the suite (dangjian/conftest.py): for a
user who must give the second factor it also gives the session that user's authenticator (made
if missing), as the code page does. A test of the second factor itself signs in through the
pages (`client.post("/admin/login/", …)`), which ask for the code."""

import base64

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.core.second_factor import TOTP_NAME, must_verify, totp_device
from dangjian.core.testing.browser import log_in


def authenticator(user, key=None) -> TOTPDevice:
    """The user's confirmed authenticator, made (with `key`, or a random one) if they have none."""
    device = totp_device(user)
    if device is None:
        fields = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True, **fields)
    return device


def current_code(device, *, steps=0) -> str:
    """The code an authenticator app shows now for `device` (`steps` later or earlier)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps)
    return f"{value:0{device.digits}d}"


def code_for_secret(secret: str) -> str:
    """The code an authenticator app shows now for `secret` as typed into it (base32, spaces
    allowed)."""
    key = base64.b32decode("".join(secret.split()).upper())
    return f"{totp(key):06d}"


def verified_force_login(original):
    def force_login(self, user, backend=None):
        original(self, user, backend)
        if must_verify(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
            session.save()

    return force_login


def browser_log_in(browser, base_url, path, user, password):
    """Sign in through the page's own forms, giving the authenticator's code where it is asked."""
    device = authenticator(user) if must_verify(user) else None
    log_in(
        browser,
        base_url,
        path,
        user.username,
        password,
        otp=(lambda: current_code(device)) if device else None,
    )
