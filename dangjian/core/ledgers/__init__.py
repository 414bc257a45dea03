"""The ledger (台账) machinery: reading .xlsx/.csv files whose header row may sit under title
rows, matching Chinese headers and their synonyms, parsing messy cells, importing all or
nothing with row errors in Chinese, and exporting the same layout back."""

from .cells import CellError
from .engine import Column, ImportReport, Ledger, export_ledger, get_ledger, import_ledger, ledgers

__all__ = [
    "CellError",
    "Column",
    "ImportReport",
    "Ledger",
    "export_ledger",
    "get_ledger",
    "import_ledger",
    "ledgers",
]
