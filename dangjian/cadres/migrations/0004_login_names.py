"""Cadres no longer sign in with their phone number: a user whose login name is their cadre's
phone (as the old services made it: the digits, or the digits and "-2", "-3", …) is renamed to a
login name of `next_login_name` (gb0001, …), keeping the account, its password and its grants.
Reversing keeps the new names (the phone is not to be a login name again)."""

import re

from django.db import migrations


def rename_phone_logins(apps, schema_editor):
    from dangjian.cadres.services import next_login_name

    Cadre = apps.get_model("cadres", "Cadre")
    User = apps.get_model("accounts", "User")
    for cadre in Cadre.objects.select_related("user").order_by("id"):
        digits = re.sub(r"\D", "", cadre.phone or "")
        user = cadre.user
        if digits and re.fullmatch(rf"{digits}(-\d+)?", user.username):
            user.username = next_login_name(User)
            user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0003_birth_date_masked"),
    ]

    operations = [migrations.RunPython(rename_phone_logins, migrations.RunPython.noop)]
