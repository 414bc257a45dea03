"""Writes to the members domain: the roster (roster.py), member development (development.py)
and party dues (dues.py)."""

from .development import *  # noqa: F403
from .dues import *  # noqa: F403
from .roster import *  # noqa: F403
