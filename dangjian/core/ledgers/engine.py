import copy
import csv
import datetime
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dangjian.audit.services import AuditEntry, audit_context, audit_record, audit_reveal
from dangjian.core.exports import cell_value, neutral, xlsx_table
from dangjian.core.registry import app_label_of, discover, installed
from dangjian.core.rules import rules_held
from dangjian.core.scope import permission_name, restrict

from . import template
from .cells import CellError, is_empty, text, written
from .changes import Change, column_mask, masked, watching
from .reader import FileError, find_header, normalize_header, read_table

# The order in which a complete zone imports (LEDGERS.md): each refers only to earlier ones.
IMPORT_ORDER = [
    "organizations",
    "posts",
    "enterprises",
    "enterprise_years",
    "members",
    "development",
    "meetings",
    "trainings",
    "activities",
    "documents",
    "cadres",
    "projects",
    "problems",
    "requests",
    "ratings",
    "investment_people",
    "investment_events",
    "investment_projects",
    "talents",
    "platforms",
    "innovations",
]


@dataclass
class Column:
    header: str
    key: str
    synonyms: tuple = ()
    required: bool = False
    parse: Callable = text
    # a rule the parser does not show (a reference, a condition), for the template; a callable
    # gives it from today's versioned rules
    note: str | Callable[[], str] = ""


class RowError(Exception):
    """Errors of one row: a list of (column key or None, message)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class ErrorLine(str):
    """One error of an import, as LEDGERS.md writes it — 第 N 行 〈列名〉：〈原因〉 — followed by the
    record the row describes and the value as written (personal data masked), e.g.
    第 3 行 入党日期：入党时未满 18 周岁（出生于 2000-03-15）；记录：张三；填写值：“2018-03-14”.
    A file's error is 文件：〈原因〉. The parts stay apart for the page's table."""

    def __new__(cls, reason, *, row=None, column="", record="", value=""):
        if row is None:
            line = f"文件：{reason}"
        else:
            line = f"第 {row} 行 {column}：{reason}"
            if record:
                line += f"；记录：{record}"
            if value and f"“{value}”" not in reason:
                line += f"；填写值：“{value}”"
        self = super().__new__(cls, line)
        self.row, self.column, self.record, self.value, self.reason = row, column, record, value, reason
        return self

    @property
    def brief(self) -> str:
        """The line without the record and the value: 第 N 行 〈列名〉：〈原因〉 (or 文件：〈原因〉)."""
        return (
            f"文件：{self.reason}" if self.row is None else f"第 {self.row} 行 {self.column}：{self.reason}"
        )

    def as_dict(self):
        return {
            "row": self.row,
            "record": self.record,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


STATUS_WORDS = {"created": "新增", "updated": "更新", "unchanged": "未变化"}


@dataclass
class RowResult:
    """What one row of the file does: creates, updates (with the changed columns) or leaves its
    record unchanged."""

    number: int
    status: str  # created, updated, unchanged
    record: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def status_word(self):
        return STATUS_WORDS[self.status]

    def __str__(self):
        text = f"第 {self.number} 行 {self.record}：{self.status_word}"
        if self.changes:
            text += "（" + "；".join(str(c) for c in self.changes) + "）"
        return text + (f"，{self.note}" if self.note else "")

    def as_dict(self):
        return {
            "row": self.number,
            "status": self.status,
            "record": self.record,
            "changes": [c.as_dict() for c in self.changes],
            "note": self.note,
        }


MAX_ERRORS_LISTED = 200
# the rows of each status (created, updated, unchanged) a report keeps to show, in file order;
# the counts cover them all (a 100,000-row file answers with 500 of each and the counts)
MAX_ROWS_LISTED = 500


@dataclass
class ImportReport:
    ledger: str
    title: str
    filename: str
    dry_run: bool
    header_row: int | None = None
    unknown_columns: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ErrorLine] = field(default_factory=list)  # the first MAX_ERRORS_LISTED
    rows: list[RowResult] = field(default_factory=list)  # the first MAX_ROWS_LISTED of each status
    error_count: int = 0  # all of them
    rows_read: int = 0  # spreadsheet rows read, title and header rows included

    def add_error(self, error: "ErrorLine"):
        """Count every error; keep the first MAX_ERRORS_LISTED to show (a broken file of 300,000
        bad rows answers with 200 lines and the count, not 35 MB of them)."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(error)

    def add_row(self, result: RowResult):
        """Count the row under its status; keep it to show while fewer than MAX_ROWS_LISTED of
        that status are kept."""
        count = getattr(self, result.status)
        setattr(self, result.status, count + 1)
        if count < MAX_ROWS_LISTED:
            self.rows.append(result)

    def file_error(self, error: "ErrorLine"):
        """The file as a whole is refused (found while its rows were read): that is the answer,
        not what the rows before it did."""
        self.created = self.updated = self.unchanged = self.error_count = 0
        self.errors, self.rows = [], []
        self.add_error(error)

    @property
    def errors_left_out(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def ok(self):
        return not self.error_count

    def rows_with(self, status) -> list[RowResult]:
        """The rows of `status` kept to show (the first MAX_ROWS_LISTED; the count is `status`)."""
        return [r for r in self.rows if r.status == status]

    def not_listed(self, status) -> int:
        return getattr(self, status) - len(self.rows_with(status))

    @property
    def created_rows(self):
        return self.rows_with("created")

    @property
    def updated_rows(self):
        return self.rows_with("updated")

    @property
    def unchanged_rows(self):
        return self.rows_with("unchanged")

    @property
    def created_not_listed(self):
        return self.not_listed("created")

    @property
    def updated_not_listed(self):
        return self.not_listed("updated")

    @property
    def unchanged_not_listed(self):
        return self.not_listed("unchanged")

    def summary(self):
        verb = "将" if self.dry_run else "已"
        if not self.ok:
            shown = f"（列出前 {len(self.errors)} 个）" if self.errors_left_out else ""
            return f"{self.title}：发现 {self.error_count} 个错误{shown}，未导入任何数据"
        return (
            f"{self.title}：{verb}新增 {self.created} 条，{verb}更新 {self.updated} 条，"
            f"未变化 {self.unchanged} 条" + ("（试导入，未写入）" if self.dry_run else "")
        )

    def as_dict(self):
        return {
            "ledger": self.ledger,
            "title": self.title,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "header_row": self.header_row,
            "unknown_columns": self.unknown_columns,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "error_count": self.error_count,
            "error_details": [e.as_dict() for e in self.errors if e.row is not None],
            "rows": [r.as_dict() for r in self.rows],
            "rows_not_listed": {s: self.not_listed(s) for s in STATUS_WORDS},
            "summary": self.summary(),
        }


@dataclass
class BatchRow:
    """A row of the file whose cells parsed, handed to a ledger's `apply_many`: its spreadsheet
    row number, its parsed values, and the record it describes (for messages)."""

    number: int
    values: dict
    record: str
    raw: dict


# what `apply_many` answers for a row it leaves to `apply` (run alone, in a savepoint)
ONE_BY_ONE = None


class Ledger:
    """One ledger: its columns and how a parsed row becomes a record. Subclasses set `name`,
    `title`, `model`, `columns`, `key_columns`, and implement `apply` and `export_values`."""

    name: str = ""
    title: str = ""
    model = None
    columns: list[Column] = []
    key_columns: tuple = ()
    # the columns whose values name a row's record to a person in messages (the first column
    # when empty): the person's name, the organization's or the enterprise's name
    record_columns: tuple = ()
    # model field -> column key, for mapping a service's ValidationError to a column
    field_columns: dict = {}
    # personal data the export writes in full (e.g. 公民身份号码): exporting then needs the
    # permission `reveal_permission`, an explicit confirmation, and is logged as a reveal of
    # personal data; an export without them (`masked`) writes those columns masked
    reveals: tuple = ()
    reveal_permission: str = ""

    # -- import ----------------------------------------------------------------------------
    def header_lookup(self) -> dict[str, str]:
        lookup = {}
        for column in self.columns:
            for name in (column.header, *column.synonyms):
                lookup[normalize_header(name)] = column.key
        return lookup

    def column(self, key) -> Column:
        return next(c for c in self.columns if c.key == key)

    def natural_key(self, values: dict):
        return tuple(str(values.get(k)) for k in self.key_columns)

    def record_label(self, raw: dict, keys=None) -> str:
        """The record a row describes, from the cells as written (so also for a row whose cells
        do not parse): the values of `record_columns` (or `keys`), personal data masked."""
        keys = keys or self.record_columns or (self.columns[0].key,)
        parts = [masked(self, key, written(raw.get(key), limit=30)) for key in keys]
        return " ".join(p for p in parts if p)

    def describe_column(self, column: Column) -> str:
        """What the column accepts, for the blank template and the import page."""
        note = column.note() if callable(column.note) else column.note
        accepts = template.describe_parse(column.parse)
        if note and accepts == "文字":  # a name of a record: the note says which
            accepts = ""
        return "；".join(p for p in (accepts, note) if p)

    def template_notes(self) -> list[str]:
        known = {c.key for c in self.columns}
        keys = "、".join(self.column(k).header for k in self.key_columns if k in known)
        notes = [
            "在第一个工作表中从第 2 行起每行填写一条记录，不要改动第 1 行的列名；不用的列可以留空或删除。",
            "标为“必填”的列不能为空；日期、数字、是/否等按下表“填写要求”填写。",
            "导入前先在“台账导入与导出”页试导入：有任何一行错误时不会写入任何数据，并列出每个错误。",
        ]
        if keys:
            notes.append(f"按 {keys} 匹配系统中已有的记录：已有则更新，没有则新增。")
        return notes

    def apply(self, values: dict, *, actor, state: dict) -> str:
        """Create or update the record; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    # A ledger that imports large files offers `apply_many(rows, *, actor, state)`: the engine
    # hands it the parsed rows in batches of `batch_size` (BatchRow, in file order, each key
    # once), and it answers one outcome per row, in order: "created", "updated" or "unchanged"
    # for a row it wrote (or found unchanged) itself, the exception for a row that fails
    # (RowError, CellError, ValidationError, PermissionDenied: reported as `apply`'s are), or
    # ONE_BY_ONE for a row the engine then gives to `apply`, alone, in a savepoint, with what
    # it changes watched (an update, say). It reads what the batch refers to in a few queries,
    # checks each row with the same functions the services use, and writes the rest in bulk.
    apply_many = None
    batch_size = 1000

    def check_permission(self, user, *, export=False, masked=False):
        if user is None:
            return
        actions = ["view"] if export else ["add", "change"]
        if not all(user.has_perm(permission_name(self.model, action)) for action in actions):
            raise PermissionDenied(f"您没有{'导出' if export else '导入'}{self.title}的权限")
        if export and not masked and self.reveals and not user.has_perm(self.reveal_permission):
            raise PermissionDenied(
                f"导出{self.title}含完整的{'和'.join(self.reveals)}，需要查看个人敏感信息的权限"
            )

    def may(self, user, *, export=False) -> bool:
        try:
            self.check_permission(user, export=export)
        except PermissionDenied:
            return False
        return True

    # -- export ----------------------------------------------------------------------------
    def export_queryset(self, user):
        queryset = self.model._default_manager.all()
        return restrict(user, queryset, "view") if user is not None else queryset

    def export_context(self, objects: list) -> dict:
        """Look-ups shared by a chunk of exported records (e.g. parent names)."""
        return {}

    def export_values(self, obj, context: dict) -> dict:
        raise NotImplementedError

    def export_audit(self, user, count):
        return None


_registry: dict[str, Ledger] = {}


def register(ledger_class):
    """Register a ledger (in an app's ledgers.py)."""
    ledger = ledger_class()
    ledger.app = app_label_of(ledger_class.__module__)
    _registry[ledger_class.name] = ledger
    return ledger_class


def ledgers() -> list[Ledger]:
    discover("ledgers")
    return sorted(
        installed(_registry.values()),
        key=lambda lg: IMPORT_ORDER.index(lg.name) if lg.name in IMPORT_ORDER else 99,
    )


def get_ledger(name: str) -> Ledger:
    by_name = {lg.name: lg for lg in ledgers()}
    if name not in by_name:
        raise KeyError(name)
    return by_name[name]


def changed_fields(instance, fields: dict) -> dict:
    """The subset of `fields` that would change `instance`, compared after the model's own
    normalization (clean), so re-importing the same file changes nothing."""
    probe = copy.copy(instance)
    for name, value in fields.items():
        setattr(probe, name, value)
    try:
        probe.clean()
    except ValidationError:
        return dict(fields)  # the service will report the error
    return {name: getattr(probe, name) for name in fields if getattr(probe, name) != getattr(instance, name)}


def save_row(existing, fields: dict, *, create, update, also_changed: bool = False) -> str:
    """The tail of a ledger row: create the record (`create(**fields)`), or update only what
    changed (`update(existing, changes)`), and say which for the report. `also_changed`: the row
    changes something `fields` do not show (a month-only flag), so it is an update anyway."""
    if existing is None:
        create(**fields)
        return "created"
    changes = changed_fields(existing, fields)
    if not changes and not also_changed:
        return "unchanged"
    update(existing, changes)
    return "updated"


def blank_template(name: str) -> bytes:
    """The ledger's blank .xlsx template (core.ledgers.template)."""
    return template.blank_template(get_ledger(name))


def _messages(error: ValidationError, ledger: Ledger):
    """(column key or None, message) pairs from a model or service ValidationError."""
    if hasattr(error, "error_dict"):
        pairs = []
        for field_name, errors in error.message_dict.items():
            key = ledger.field_columns.get(field_name, field_name)
            for message in errors:
                pairs.append((key, message))
        return pairs
    return [(None, message) for message in error.messages]


def _header_for(key, ledger: Ledger, written: dict) -> str:
    if key is None:
        return "整行"
    if key in written:
        return written[key]
    column = next((c for c in ledger.columns if c.key == key), None)
    if column is not None:
        return column.header
    try:
        return str(ledger.model._meta.get_field(key).verbose_name)
    except Exception:
        return str(key)


PROGRESS_EVERY = 500  # rows read between two calls of an import's `progress`


def import_ledger(
    name: str,
    data: bytes,
    filename: str,
    *,
    actor=None,
    dry_run=False,
    source="import",
    label=None,
    progress: Callable | None = None,
) -> ImportReport:
    """Import a file all or nothing. Returns the report; nothing is written unless it is ok
    and not a dry run. The file is read row by row as the import goes. `progress(rows_read,
    errors_so_far, total)` is called every PROGRESS_EVERY rows and once at the end: rows_read
    counts the spreadsheet's rows read (title and header rows too), total is the number of rows
    the sheet declares (None when the file does not say, as a .csv)."""
    ledger = get_ledger(name)
    report = ImportReport(ledger=name, title=ledger.title, filename=filename, dry_run=dry_run)
    ledger.check_permission(actor)
    try:
        table = read_table(data, filename)
    except FileError as exc:
        report.add_error(ErrorLine(str(exc)))
        return report
    try:
        _import_table(ledger, table, report, actor, dry_run, source, label, progress)
    finally:
        table.close()
    return report


def _import_table(ledger, table, report, actor, dry_run, source, label, progress):
    try:
        match = find_header(table, ledger.header_lookup())
    except FileError as exc:
        report.add_error(ErrorLine(str(exc)))
        return
    if match is None:
        wanted = "、".join(c.header for c in ledger.columns if c.required)
        report.add_error(ErrorLine(f"未找到表头行（应包含 {wanted} 等列）"))
        return
    report.header_row = match.row_number
    report.unknown_columns = match.unknown + [f"{h}（重复列，已忽略）" for h in match.duplicates]
    missing = [c.header for c in ledger.columns if c.required and c.key not in match.columns]
    if missing:
        report.add_error(ErrorLine(f"缺少必填列 {'、'.join(missing)}"))
        return

    filename = report.filename
    with audit_context(source=source, label=label or f"导入{ledger.title}", user=actor), rules_held():
        with transaction.atomic():
            try:
                _import_rows(ledger, table, match, report, actor, progress)
            except FileError as exc:  # found while reading the rows: the whole file is refused
                report.file_error(ErrorLine(str(exc)))
            if not report.ok or dry_run:
                transaction.set_rollback(True)
        if progress is not None:
            progress(report.rows_read, report.error_count, table.total)
        if report.ok and not dry_run:
            audit_record(
                AuditEntry.Action.IMPORT, model=ledger.model, message=f"{filename}：{report.summary()}"
            )
        elif not report.ok and not dry_run:
            audit_record(
                AuditEntry.Action.IMPORT,
                model=ledger.model,
                message=f"{filename}：导入被拒绝，{report.error_count} 个错误，未写入任何数据",
            )


def _fingerprint(values: dict) -> bytes:
    """A digest of a row's parsed values that is equal exactly when the values are (==), kept
    for every key of the file instead of the values themselves (a duplicate row is compared by
    it): dates by day, decimals by value, lists by their items."""

    def canonical(value):
        if isinstance(value, datetime.date):
            return f"{type(value) is datetime.datetime}:{value.isoformat()}"
        if isinstance(value, Decimal):
            return f"D:{value.normalize()}"
        if isinstance(value, list | tuple):
            return [canonical(v) for v in value]
        return f"{type(value).__name__}:{value!r}"

    text = repr(sorted((k, canonical(v)) for k, v in values.items()))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _row_errors(exc, ledger) -> list:
    """(column key or None, message) pairs of a row's failure."""
    if isinstance(exc, RowError):
        return list(exc.errors)
    if isinstance(exc, CellError):
        return [(None, str(exc))]
    if isinstance(exc, ValidationError):
        return _messages(exc, ledger)
    if isinstance(exc, PermissionDenied):
        return [(None, str(exc) or "超出您的数据授权范围")]
    raise exc


ROW_FAILURES = (RowError, CellError, ValidationError, PermissionDenied)


def _import_rows(ledger, table, match, report, actor, progress=None):
    state: dict = {}
    # digest of the natural key -> (row number, fingerprint of its values): a few dozen bytes a
    # row, however many columns the ledger has
    seen: dict = {}
    # the rows read since the last batch, each (row, errors, note): errors of its cells or
    # key, or the note of a repeated row; answered in file order when the batch is applied
    pending: list[tuple[BatchRow, list, str]] = []
    batch_size = ledger.batch_size if ledger.apply_many is not None else 1

    def report_errors(row: BatchRow, errors):
        for key, message in errors:
            report.add_error(
                ErrorLine(
                    message,
                    row=row.number,
                    column=_header_for(key, ledger, match.headers),
                    record=row.record,
                    value=masked(ledger, key, written(row.raw[key]), raw=row.raw[key])
                    if key in row.raw
                    else "",
                )
            )

    def one_by_one(row: BatchRow):
        try:
            with watching(ledger) as watch, transaction.atomic():
                status = ledger.apply(row.values, actor=actor, state=state)
                changes = watch.changes() if status == "updated" else []
        except ROW_FAILURES as exc:
            report_errors(row, _row_errors(exc, ledger))
            return
        report.add_row(RowResult(row.number, status, row.record, changes))

    def flush():
        rows = [row for row, errors, note in pending if not errors and not note]
        outcomes: list = [ONE_BY_ONE] * len(rows)
        if rows and ledger.apply_many is not None:
            outcomes = ledger.apply_many(list(rows), actor=actor, state=state)
            if len(outcomes) != len(rows):
                raise RuntimeError(
                    f"{type(ledger).__name__}.apply_many answered {len(outcomes)} of {len(rows)} rows"
                )
        answers = dict(zip((row.number for row in rows), outcomes, strict=True))
        for row, errors, note in pending:
            if errors:
                report_errors(row, errors)
            elif note:
                report.add_row(RowResult(row.number, "unchanged", row.record, note=note))
            elif answers[row.number] is ONE_BY_ONE:
                one_by_one(row)
            elif isinstance(answers[row.number], Exception):
                report_errors(row, _row_errors(answers[row.number], ledger))
            else:
                report.add_row(RowResult(row.number, answers[row.number], row.record))
        pending.clear()

    total = table.total
    for number, cells in table.rows:
        report.rows_read = number
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, report.error_count, total)
        if number <= match.row_number:
            continue
        raw = {key: (cells[index] if index < len(cells) else None) for key, index in match.columns.items()}
        if all(is_empty(v) for v in raw.values()):
            continue
        values, errors, note = {}, [], ""
        for column in ledger.columns:
            if column.key not in raw:
                continue
            try:
                value = column.parse(raw[column.key])
            except CellError as exc:
                errors.append((column.key, str(exc)))
                continue
            if column.required and (value is None or value == "" or value == []):
                errors.append((column.key, "必填，不能为空"))
                continue
            values[column.key] = value
        if not errors:
            key = hashlib.blake2b(repr(ledger.natural_key(values)).encode(), digest_size=16).digest()
            fingerprint = _fingerprint(values)
            if key in seen:
                first_number, first_fingerprint = seen[key]
                if first_fingerprint == fingerprint:
                    note = f"与第 {first_number} 行相同"
                else:
                    errors.append((ledger.key_columns[0], f"与第 {first_number} 行重复，但内容不同"))
            else:
                seen[key] = (number, fingerprint)
        pending.append((BatchRow(number, values, ledger.record_label(raw), raw), errors, note))
        if len(pending) >= batch_size:
            flush()
    flush()


# -- export ---------------------------------------------------------------------------------
class RevealNotConfirmed(Exception):
    """Exporting a ledger that writes personal data in full was not confirmed."""


def reveal_question(ledger) -> str:
    """Why exporting this ledger needs a confirmation ('' when it does not)."""
    if not ledger.reveals:
        return ""
    return (
        f"导出的{ledger.title}含完整的{'和'.join(ledger.reveals)}（个人敏感信息），须确认后才能导出；"
        "导出将作为“查看个人敏感信息”记入审计日志"
    )


def export_ledger(
    name: str,
    *,
    user=None,
    fmt="xlsx",
    queryset=None,
    source="web",
    reveal_confirmed=False,
    masked=False,
) -> bytes:
    """The ledger's records (those `user` may view) as a file that imports back unchanged. A
    ledger that writes personal data in full (`reveals`) exports only when `reveal_confirmed`, and
    the export is logged as a reveal; never silently. `masked`: every column of personal data
    masked as it is shown without a reveal (a list to read, not to import back)."""
    ledger = get_ledger(name)
    ledger.check_permission(user, export=True, masked=masked)
    if ledger.reveals and not reveal_confirmed and not masked:
        raise RevealNotConfirmed(reveal_question(ledger))
    masks = {c.key: column_mask(ledger, c.key) for c in ledger.columns} if masked else {}
    if queryset is None:
        queryset = ledger.export_queryset(user)
    headers = [c.header for c in ledger.columns]
    rows = []
    chunk: list = []

    def flush():
        context = ledger.export_context(chunk)
        for item in chunk:
            values = ledger.export_values(item, context)
            rows.append([_cell(values.get(c.key), masks.get(c.key)) for c in ledger.columns])
        chunk.clear()

    for obj in queryset.iterator(chunk_size=2000):
        chunk.append(obj)
        if len(chunk) == 2000:
            flush()
    flush()
    with audit_context(source=source, label=f"导出{ledger.title}", user=user):
        audit_record(
            AuditEntry.Action.EXPORT,
            model=ledger.model,
            message=f"导出{ledger.title} {len(rows)} 条（{fmt}）",
        )
        if ledger.reveals and not masked:
            audit_reveal(
                user=user,
                model=ledger.model,
                fields=list(ledger.reveals),
                purpose=f"导出{ledger.title} {len(rows)} 条（导出前已确认）",
            )
        ledger.export_audit(user, len(rows))
    return xlsx_table(ledger.title, headers, rows) if fmt == "xlsx" else _write_csv(headers, rows)


def _cell(value, mask=None):
    if mask is not None and value not in (None, ""):
        return mask(value if isinstance(value, str) else str(value))
    return cell_value(value)


def _write_csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        out = []
        for value in row:
            value, dangerous = neutral(value)
            if dangerous:
                value = "'" + value
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            out.append("" if value is None else value)
        writer.writerow(out)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def resolve_one(queryset, *, what: str, value: str, hint: str = ""):
    """The single record `queryset` finds for a reference by name or code, else a CellError."""
    return one_of(list(queryset[:2]), what=what, value=value, hint=hint)


def one_of(found: list, *, what: str, value: str, hint: str = ""):
    """The single record of `found` (the records a reference names), else a CellError."""
    if not found:
        raise CellError(f"找不到{what}“{value}”{hint}")
    if len(found) > 1:
        raise CellError(f"名为“{value}”的{what}有多个，无法确定是哪一个")
    return found[0]


def lookup(state: dict, queryset, *, what: str, value: str, column: str, hint: str = ""):
    """The one record `queryset` finds for `value` (cached for the file in `state`); a reference
    that finds none or several is an error of the row, on `column`."""
    cache = state.setdefault(("lookup", queryset.model._meta.label, what), {})
    if value not in cache:
        try:
            cache[value] = resolve_one(queryset, what=what, value=value, hint=hint)
        except CellError as exc:
            cache[value] = exc
    if isinstance(cache[value], CellError):
        raise RowError([(column, str(cache[value]))])
    return cache[value]


NOT_CACHED = object()


def cached_lookup(state: dict, model, *, what: str, value: str, column: str):
    """What `lookup` answered before for `value` (a record of `model`, or the same row error),
    without building the query; NOT_CACHED when it was not asked yet."""
    cache = state.get(("lookup", model._meta.label, what))
    if cache is None or value not in cache:
        return NOT_CACHED
    if isinstance(cache[value], CellError):
        raise RowError([(column, str(cache[value]))])
    return cache[value]


def prefetch_lookup(state: dict, queryset, field: str, values, *, what: str, hint: str = ""):
    """Resolve many references at once for `lookup`: the records of `queryset` whose `field` is
    one of `values` are read in one query (those not already in the file's cache), and each
    value's answer is cached as `lookup(state, queryset.filter(**{field: value}), ...)` would
    give it, so the rows that follow find their record, or their error, without a query."""
    cache = state.setdefault(("lookup", queryset.model._meta.label, what), {})
    wanted = {v for v in values if v not in cache and v not in (None, "")}
    if not wanted:
        return
    found: dict = {}
    for obj in queryset.filter(**{f"{field}__in": wanted}):
        found.setdefault(getattr(obj, field), []).append(obj)
    for value in wanted:
        try:
            cache[value] = one_of(found.get(value, [])[:2], what=what, value=value, hint=hint)
        except CellError as exc:
            cache[value] = exc


def choice_label(choices, value):
    return choices(value).label if value else None
