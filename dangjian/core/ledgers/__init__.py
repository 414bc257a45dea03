"""The ledger (台账) machinery: reading .xlsx/.csv files whose header row may sit under title
rows, matching Chinese headers and their synonyms, parsing messy cells, importing all or
nothing with row errors in Chinese, a dry run that says what each row changes, a blank template
of each ledger, and exporting the same layout back."""

from .cells import CellError
from .engine import (
    Column,
    ErrorLine,
    ImportReport,
    Ledger,
    RevealNotConfirmed,
    RowResult,
    blank_template,
    export_ledger,
    get_ledger,
    import_ledger,
    ledgers,
    reveal_question,
)

__all__ = [
    "CellError",
    "Column",
    "ErrorLine",
    "ImportReport",
    "Ledger",
    "RevealNotConfirmed",
    "RowResult",
    "blank_template",
    "export_ledger",
    "get_ledger",
    "import_ledger",
    "ledgers",
    "reveal_question",
]
