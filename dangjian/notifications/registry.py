"""What other modules contribute to notifications, found by module name in every installed app
(see core.registry): delivery channels in `channels.py`, daily reminders in `reminders.py`.

A channel delivers one message to its recipient (the site message, an email; an SMS or WeChat
channel later is one more registration). A reminder is a daily check of a domain (problems
past their deadline, development steps coming due) that says whom to remind of what; the
`notify_due` command sends them, at most once a day for the same thing."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dangjian.core.registry import app_label_of, discover, installed


@dataclass(frozen=True)
class Channel:
    """`deliver(notification)` hands one message to its recipient; `order` puts the site message
    first (the others may rely on it being stored)."""

    name: str
    title: str
    deliver: Callable
    order: int = 100
    app: str = ""


_channels: dict[str, Channel] = {}


def channel(name: str, title: str, *, order: int = 100):
    """Register the decorated `deliver(notification)` as a delivery channel."""

    def decorator(func):
        _channels[name] = Channel(name, title, func, order, app_label_of(func.__module__))
        return func

    return decorator


def channels() -> list[Channel]:
    discover("channels")
    return sorted(installed(_channels.values()), key=lambda c: (c.order, c.name))


@dataclass(frozen=True)
class Due:
    """One reminder to send: `key` names what it is about (a problem, a case's step), so the
    same recipient is reminded of it at most once a day."""

    key: str
    recipients: Iterable
    kind: str
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Reminder:
    name: str
    collect: Callable[[datetime.date], Iterable[Due]]
    app: str = ""


_reminders: dict[str, Reminder] = {}


def reminder(func):
    """Register the decorated `collect(today)`, which yields the `Due` reminders of a day."""
    _reminders[f"{func.__module__}.{func.__name__}"] = Reminder(
        func.__name__, func, app_label_of(func.__module__)
    )
    return func


def reminders() -> list[Reminder]:
    discover("reminders")
    return sorted(installed(_reminders.values()), key=lambda r: (r.app, r.name))
