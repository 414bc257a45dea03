"""notify(): who receives a message, once each; every channel is handed it, a failing one is
logged and breaks nothing; email only to an address and only with a mail server configured."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction

from dangjian.notifications import registry
from dangjian.notifications.models import Kind, Notification
from dangjian.notifications.services import mark_all_read, mark_read, notify, unread_count
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
KIND = Kind.REQUEST_ASSIGNED


def send(recipients, **kwargs):
    return notify(recipients, kind=KIND, title="诉求已分派给您办理", url="/admin/", **kwargs)


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_each_active_recipient_gets_one_message_and_the_actor_none():
    a, b, actor = make_user(), make_user(), make_user()
    gone = make_user()
    gone.is_active = False
    gone.save()

    sent = send([a, None, b, a, gone, actor], actor=actor, body="请及时受理")

    assert [m.recipient for m in sent] == [a, b]
    assert titles(a) == ["诉求已分派给您办理"] and titles(b) == ["诉求已分派给您办理"]
    assert titles(gone) == [] and titles(actor) == []
    message = Notification.objects.get(recipient=a)
    assert (message.kind, message.body, message.url, message.actor, message.read_at) == (
        KIND,
        "请及时受理",
        "/admin/",
        actor,
        None,
    )
    assert message.get_kind_display() == "诉求分派"


def test_a_message_exists_only_if_the_write_that_sent_it_does():
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        send([user])
        raise RuntimeError("the business write failed")
    assert titles(user) == []


def test_a_reminder_with_a_key_reaches_each_recipient_once_a_day():
    a, b = make_user(), make_user()
    day = datetime.date(2025, 6, 2)
    assert len(send([a], key="problem:1:overdue", today=day)) == 1
    assert [m.recipient for m in send([a, b], key="problem:1:overdue", today=day)] == [b]
    assert send([a, b], key="problem:1:overdue", today=day) == []
    assert len(send([a], key="problem:2:overdue", today=day)) == 1
    assert len(send([a], key="problem:1:overdue", today=day + datetime.timedelta(days=1))) == 1
    assert len(send([a])) == 1 and len(send([a])) == 1  # without a key, nothing is held back
    assert Notification.objects.filter(recipient=a).count() == 5


@pytest.fixture
def extra_channel():
    """A channel registered for one test (as an SMS or WeChat channel would be)."""
    added = []

    def add(name, deliver, order=50):
        registry.channel(name, f"测试渠道{name}", order=order)(deliver)
        added.append(name)

    yield add
    for name in added:
        registry._channels.pop(name, None)


def test_every_registered_channel_is_handed_each_stored_message(extra_channel):
    handed = []
    extra_channel("sms", lambda message: handed.append((message.recipient, message.pk is not None)))
    a, b = make_user(), make_user()
    send([a, b])
    assert handed == [(a, True), (b, True)]
    assert [c.name for c in registry.channels()][:2] == ["site", "email"]


def test_a_failing_channel_is_logged_and_breaks_neither_the_write_nor_the_other_channels(
    extra_channel, caplog
):
    handed = []

    def broken(message):
        Notification.objects.filter(pk=message.pk).update(title="被失败的渠道改写")
        raise ConnectionError("短信网关不可用")

    extra_channel("broken", broken, order=20)
    extra_channel("after", lambda message: handed.append(message.recipient), order=30)
    user = make_user()
    with caplog.at_level(logging.ERROR, logger="dangjian.notifications.services"):
        with transaction.atomic():
            send([user])
            marker = make_user()  # the business write goes on after notify
    assert titles(user) == ["诉求已分派给您办理"]  # the failing channel's own writes are undone
    assert handed == [user]
    assert marker.pk is not None
    assert "测试渠道broken" in caplog.text and "短信网关不可用" in caplog.text


def test_a_site_message_that_cannot_be_stored_does_not_break_the_write(monkeypatch, caplog):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("数据库拒绝写入")

    user = make_user()
    monkeypatch.setattr(Notification, "save", refuse)
    with caplog.at_level(logging.ERROR, logger="dangjian.notifications.services"):
        sent = send([user])
    assert len(sent) == 1 and sent[0].pk is None
    assert "站内消息" in caplog.text


# -- email ------------------------------------------------------------------------------------------
def test_no_email_without_a_mail_server(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    user = make_user()
    user.email = "wang@example.org"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([user])
    assert mail.outbox == []
    assert titles(user) == ["诉求已分派给您办理"]


def test_an_email_to_a_user_with_an_address_once_the_write_is_committed(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.SITE_URL = "https://dangjian.example.gov.cn"
    with_address, without = make_user(), make_user()
    with_address.email = "wang@example.org"
    with_address.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([with_address, without], body="甲企业于 2025-06-02 提交")
        assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["wang@example.org"]
    assert email.subject == "【党建引领发展平台】诉求已分派给您办理"
    assert "甲企业于 2025-06-02 提交" in email.body
    assert "https://dangjian.example.gov.cn/admin/" in email.body


def test_a_rolled_back_write_sends_no_email(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "smtp.example.org"
    user = make_user()
    user.email = "wang@example.org"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send([user])
            raise RuntimeError("the business write failed")
    assert mail.outbox == []


def test_a_mail_server_that_fails_is_logged_and_the_message_stays(
    settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    settings.EMAIL_HOST = "smtp.example.org"
    user = make_user()
    user.email = "wang@example.org"
    user.save()

    def down(*args, **kwargs):
        raise OSError("连接邮件服务器失败")

    monkeypatch.setattr("dangjian.notifications.channels.send_mail", down)
    with caplog.at_level(logging.ERROR, logger="dangjian.notifications.channels"):
        with django_capture_on_commit_callbacks(execute=True):
            send([user])
    assert titles(user) == ["诉求已分派给您办理"]
    assert "wang@example.org" in caplog.text


# -- reading ------------------------------------------------------------------------------------------
def test_reading_marks_only_the_readers_own_messages():
    a, b = make_user(), make_user()
    first, second = send([a])[0], send([a])[0]
    theirs = send([b])[0]
    assert unread_count(a) == 2
    mark_read(actor=a, notification=first)
    assert unread_count(a) == 1
    with pytest.raises(Notification.DoesNotExist):
        mark_read(actor=a, notification=theirs)
    assert mark_all_read(actor=a) == 1
    assert unread_count(a) == 0 and unread_count(b) == 1
    second.refresh_from_db()
    assert second.read_at is not None


def test_an_installed_apps_channel_is_handed_every_message_with_nothing_else_edited():
    import importlib

    from django.test import modify_settings

    with modify_settings(INSTALLED_APPS={"append": "dangjian.site.tests.sample_domain"}):
        # imported once the app is installed (by the channels' discovery), so it counts as the app's
        sample = importlib.import_module("dangjian.site.tests.sample_domain.channels")
        sample.delivered.clear()
        send([make_user()])
    send([make_user()])  # once the app is gone, so is its channel
    assert sample.delivered == ["诉求已分派给您办理"]
