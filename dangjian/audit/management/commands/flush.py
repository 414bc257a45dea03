"""Django's flush, which empties every table, the audit log included: on SQLite its delete trigger
lets this command through (on PostgreSQL only the table's owner can empty it, whatever this
does). The test suite empties the database this way after each browser test."""

from django.core.management.commands.flush import Command as FlushCommand

from dangjian.audit.chain import deleting_permitted


class Command(FlushCommand):
    def handle(self, **options):
        with deleting_permitted():
            return super().handle(**options)
