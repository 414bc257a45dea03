"""Structured data (a JSONField: a rule's values, a standard duty list's items) as people read and
write it, never as JSON: a Chinese table where it is shown, and a Chinese form where it is edited.

A `DataSpec` describes the data's parts by path: the keys of a dict and the positions of a list
joined by dots ("weights.record_completeness", "employed.0.1"), where "*" stands for any one key
or position ("*.title": the title of every item of a list; "*.2": the third value of every pair).

- `labels`: path → the Chinese name of that part (a row of a table, a column, a form field)
- `choices`: path → {stored value: Chinese} for a value that is a code ("quarter" → 每季度)
- `percent`: paths of rates stored as fractions (0.005), read and entered as percentages (0.5%)
- `formats`: path → function(value) → text, for a part that reads best as one phrase

`data_table(value, spec)` draws the table; `data_fields(shape, current, spec)` gives the form
fields for data of the shape of `shape` (a rule's defaults), and `data_value` puts them back."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.html import format_html, format_html_join

EMPTY = "—"
TABLE = '<table class="border border-base-200 dark:border-base-700 text-sm">{}</table>'
HEAD = '<th class="bg-base-50 dark:bg-base-800 font-semibold px-2 py-1 text-left">{}</th>'
CELL = '<td class="border-t border-base-200 dark:border-base-700 px-2 py-1 align-top">{}</td>'


@dataclass(frozen=True)
class DataSpec:
    labels: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    percent: frozenset = frozenset()
    formats: dict = field(default_factory=dict)


NO_SPEC = DataSpec()


def data_spec(obj, name: str) -> DataSpec:
    """The description of `obj`'s structured field `name`: the model's `data_spec(name)`."""
    describe = getattr(obj, "data_spec", None)
    return (describe(name) if callable(describe) else None) or NO_SPEC


def _matches(pattern: str, path: tuple) -> bool:
    parts = pattern.split(".")
    return len(parts) == len(path) and all(p in ("*", str(s)) for p, s in zip(parts, path, strict=True))


def _find(mapping, path: tuple):
    """What `mapping` (pattern → x, or a set of patterns) says of `path`: the most specific
    pattern that matches (the fewest "*"), or None."""
    found = [p for p in mapping if _matches(p, path)]
    if not found:
        return None
    best = min(found, key=lambda p: p.count("*"))
    return best if isinstance(mapping, set | frozenset) else mapping[best]


def label_of(spec: DataSpec, path: tuple) -> str:
    found = _find(spec.labels, path)
    return found if found is not None else str(path[-1])


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _as_percent(value) -> str:
    try:
        return f"{_number(Decimal(str(value)) * 100)}%"
    except InvalidOperation:
        return str(value)


def _scalar(value, spec: DataSpec, path: tuple) -> str:
    choices = _find(spec.choices, path)
    if choices is not None and value in choices:
        return str(choices[value])
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if _find(spec.percent, path) is not None:
        return _as_percent(value)
    if isinstance(value, int | float | Decimal):
        return _number(value)
    return str(value)


def data_table(value, spec: DataSpec = NO_SPEC, path: tuple = ()):
    """`value` as a Chinese table (safe HTML): a dict as rows of name and value, a list of dicts
    or of lists as a table with a header, a list of values as its values one after the other."""
    shown = _find(spec.formats, path) if path else spec.formats.get("")
    if shown is not None:
        return shown(value)
    if isinstance(value, dict):
        if not value:
            return EMPTY
        return _pairs((label_of(spec, (*path, k)), data_table(v, spec, (*path, k))) for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return EMPTY
        if all(isinstance(item, dict) for item in value):
            keys = list(dict.fromkeys(k for item in value for k in item))
            return _grid(
                [label_of(spec, (*path, "*", k)) for k in keys],
                [
                    [data_table(item.get(k), spec, (*path, index, k)) for k in keys]
                    for index, item in enumerate(value)
                ],
            )
        if all(isinstance(item, list | tuple) for item in value):
            width = max(len(item) for item in value)
            return _grid(
                [label_of(spec, (*path, "*", i)) for i in range(width)],
                [
                    [
                        data_table(item[i] if i < len(item) else None, spec, (*path, index, i))
                        for i in range(width)
                    ]
                    for index, item in enumerate(value)
                ],
            )
        if all(_find(spec.labels, (*path, i)) for i in range(len(value))):  # a fixed group, each named
            return _pairs(
                (label_of(spec, (*path, i)), data_table(v, spec, (*path, i))) for i, v in enumerate(value)
            )
        return format_html_join("、", "{}", ((data_table(v, spec, (*path, i)),) for i, v in enumerate(value)))
    return _scalar(value, spec, path)


def _pairs(pairs):
    """A table of (name, value) rows."""
    rows = format_html_join("", "<tr>" + HEAD + CELL + "</tr>", pairs)
    return format_html(TABLE, format_html("<tbody>{}</tbody>", rows))


def _grid(headers, rows):
    head = format_html("<thead><tr>{}</tr></thead>", format_html_join("", HEAD, ((h,) for h in headers)))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", CELL, ((cell,) for cell in row)),) for row in rows)
    )
    return format_html(TABLE, format_html("{}<tbody>{}</tbody>", head, body))


# -- the form --------------------------------------------------------------------------------------
EXTRA_ROWS = 2  # empty rows offered below a table's rows (a new bracket)


def _is_number_text(value) -> bool:
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return isinstance(value, str)


def _leaf_field(kind, label: str, spec: DataSpec, path: tuple, required=True):
    """A form field for one value whose default is `kind` (an example value)."""
    choices = _find(spec.choices, path)
    if choices is not None:
        return forms.ChoiceField(label=label, choices=list(choices.items()), required=required)
    if isinstance(kind, bool):
        return forms.BooleanField(label=label, required=False)
    if isinstance(kind, int):
        return forms.IntegerField(label=label, required=required)
    if isinstance(kind, float) or _is_number_text(kind) or kind is None:
        if _find(spec.percent, path) is not None:
            label = f"{label}（%）"
        return forms.DecimalField(label=label, required=required and kind is not None)
    return forms.CharField(label=label, required=required)


def _initial(value, spec: DataSpec, path: tuple):
    if value is not None and _find(spec.percent, path) is not None:
        try:
            return (Decimal(str(value)) * 100).normalize()
        except InvalidOperation:
            return value
    return value


def _stored(cleaned, kind, spec: DataSpec, path: tuple):
    """A cleaned form value back in the stored form of `kind` (numbers kept as text where the
    defaults keep them as text, rates as fractions)."""
    if cleaned is None or cleaned == "":
        return None
    if isinstance(cleaned, Decimal):
        if _find(spec.percent, path) is not None:
            cleaned = (cleaned / 100).normalize()
        if isinstance(kind, float):
            return float(cleaned)
        return f"{cleaned:f}"  # as written: 0.20 元 stays 0.20
    return cleaned


def _name(prefix: str, path: tuple) -> str:
    return "__".join([prefix, *map(str, path)])


def _title(spec: DataSpec, path: tuple) -> str:
    """The name of a value in a form: the names of the parts it is in, 在职党员 · 第 2 档 · 交纳比例."""
    names = []
    for depth in range(1, len(path) + 1):
        segment = path[depth - 1]
        found = _find(spec.labels, path[:depth])
        if found is None and isinstance(segment, int):
            found = f"第 {segment + 1} 档" if depth < len(path) else str(segment + 1)
        names.append(found if found is not None else str(segment))
    return " · ".join(names)


def data_fields(shape, current, spec: DataSpec = NO_SPEC, prefix: str = "data") -> dict:
    """{name: form field} for data shaped like `shape`, starting from `current`: a field for each
    value of a dict, each value of a fixed group, and each cell of a table (with room for more
    rows); every field with its Chinese name and its current value as initial."""
    result = {}

    def walk(example, value, path):
        if isinstance(example, dict):
            for key, sub in example.items():
                walk(sub, (value or {}).get(key) if isinstance(value, dict) else None, (*path, key))
        elif isinstance(example, list) and example and all(isinstance(r, list) for r in example):
            rows = value if isinstance(value, list) else []
            for index in range(len(rows) + EXTRA_ROWS):
                row = rows[index] if index < len(rows) else [None] * len(example[0])
                for column, kind in enumerate(_column_kinds(example)):
                    cell = (*path, index, column)
                    formfield = _leaf_field(
                        kind, _title(spec, cell), spec, (*path, "*", column), required=False
                    )
                    formfield.initial = _initial(row[column] if column < len(row) else None, spec, cell)
                    result[_name(prefix, cell)] = formfield
        elif isinstance(example, list):
            for index, kind in enumerate(example):
                cell = (*path, index)
                formfield = _leaf_field(kind, _title(spec, cell), spec, cell)
                formfield.initial = _initial(
                    value[index] if isinstance(value, list) and index < len(value) else None, spec, cell
                )
                result[_name(prefix, cell)] = formfield
        else:
            formfield = _leaf_field(example, _title(spec, path), spec, path)
            formfield.initial = _initial(value, spec, path)
            result[_name(prefix, path)] = formfield

    walk(shape, current, ())
    return result


def _column_kinds(example_rows) -> list:
    """The kind of each column of a table's default rows: a column with an empty cell may be
    left empty (the last bracket has no upper bound)."""
    kinds = []
    for column in range(len(example_rows[0])):
        cells = [row[column] for row in example_rows if column < len(row)]
        given = next((c for c in cells if c is not None), None)
        kinds.append(None if any(c is None for c in cells) and _is_number_text(given) else given)
    return kinds


def data_value(shape, cleaned: dict, spec: DataSpec = NO_SPEC, prefix: str = "data"):
    """The data that `data_fields` fields hold once cleaned, in the stored shape of `shape`; the
    rows of a table left wholly empty are dropped."""

    def build(example, path):
        if isinstance(example, dict):
            return {key: build(sub, (*path, key)) for key, sub in example.items()}
        if isinstance(example, list) and example and all(isinstance(r, list) for r in example):
            kinds, rows, index = _column_kinds(example), [], 0
            while _name(prefix, (*path, index, 0)) in cleaned:
                cells = [cleaned.get(_name(prefix, (*path, index, c))) for c in range(len(kinds))]
                if any(cell not in (None, "") for cell in cells):
                    rows.append(
                        [
                            _stored(cell, kind, spec, (*path, "*", c))
                            for c, (cell, kind) in enumerate(zip(cells, kinds, strict=True))
                        ]
                    )
                index += 1
            return rows
        if isinstance(example, list):
            return [
                _stored(cleaned.get(_name(prefix, (*path, i))), kind, spec, (*path, i))
                for i, kind in enumerate(example)
            ]
        return _stored(cleaned.get(_name(prefix, path)), example, spec, path)

    return build(shape, ())
