"""django-otp's own admin pages of devices (English, and showing secrets) are not part of the back
office: a user's second factor is set up on 双因素认证 (site.second_factor) and reset through
core.second_factor.second_factor_remove."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
