"""Secrets are hidden in the audit log's snapshots (a password, an API token's key); a field that
only happens to be called key (a rule version's rule) is shown."""

import datetime

from rest_framework.authtoken.models import Token

from dangjian.audit.services import snapshot
from dangjian.core.models import RuleSet
from dangjian.testing.factories import make_user


def test_a_token_key_is_hidden_and_a_rule_key_is_shown(db):
    token = Token.objects.create(user=make_user())
    assert snapshot(token)["key"].startswith("******（摘要 ")
    assert token.key not in str(snapshot(token))
    rule = RuleSet.objects.filter().first() or RuleSet(
        key="partylife.frequency", valid_from=datetime.date(2020, 1, 1)
    )
    assert snapshot(rule)["key"] == rule.key
    user = make_user()
    assert snapshot(user)["password"].startswith("******")
