"""Cell parsers of the ledger machinery (LEDGERS.md, "Rules for every ledger")."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.cells import CellError

JULY_1 = datetime.date(2023, 7, 1)


# -- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        "2023-07-01",
        "2023/7/1",
        "2023.07.01",
        "2023年7月1日",
        "20230701",
        "2023-7-1",
        "2023/07/01",
        "2023.7.1",
        "2023年07月01日",
        "2023年7月1号",
        "2023年7月1",
        " 2023-07-01 ",
        "\u30002023-07-01\u3000",
        "２０２３－０７－０１",
        "２０２３年７月１日",
        "2023．07．01",
        "2023 年 7 月 1 日",
        "2023-07-01 00:00:00",
        "2023-07-01T00:00",
        "2023/7/1 0:00",
    ],
)
def test_every_written_date_form_gives_the_same_day(raw):
    value = cells.parse_date(raw)
    assert value == JULY_1
    assert value.month_only is False


def test_an_excel_date_cell_is_a_date():
    assert cells.parse_date(datetime.datetime(2023, 7, 1, 0, 0)) == JULY_1
    assert cells.parse_date(datetime.date(2023, 7, 1)) == JULY_1


def test_an_excel_date_cell_with_a_time_keeps_only_the_day():
    assert cells.parse_date(datetime.datetime(2023, 7, 1, 18, 30)) == JULY_1


@pytest.mark.parametrize("raw", [45108, 45108.0])
def test_an_excel_date_serial_number_is_a_date(raw):
    assert cells.parse_date(raw) == JULY_1


@pytest.mark.parametrize("raw", [2019, 2019.0, 1900, 2100])
def test_a_year_typed_as_a_number_is_not_taken_for_an_excel_serial(raw):
    with pytest.raises(cells.CellError, match="只有年份"):
        cells.parse_date(raw, month_ok=True)


@pytest.mark.parametrize("raw", [9999, 100000])
def test_numbers_outside_the_serial_range_are_not_dates(raw):
    with pytest.raises(cells.CellError):
        cells.parse_date(raw)


def test_an_eight_digit_number_cell_is_read_as_yyyymmdd():
    assert cells.parse_date(20230701) == JULY_1


@pytest.mark.parametrize(
    "raw", ["2019.07", "2019年7月", "2019-07", "2019/7", "2019.7", "201907", "2019年7月份"]
)
def test_month_only_date_is_the_first_of_the_month_where_the_column_says_month_ok(raw):
    value = cells.parse_date(raw, month_ok=True)
    assert value == datetime.date(2019, 7, 1)
    assert value.month_only is True


def test_month_only_number_cell_is_accepted_where_the_column_says_month_ok():
    # Excel turns a typed 2019.07 into the number 2019.07
    value = cells.parse_date(2019.07, month_ok=True)
    assert value == datetime.date(2019, 7, 1)
    assert value.month_only is True


@pytest.mark.parametrize("raw", ["2019.07", "2019年7月", "201907", 2019.07])
def test_month_only_date_is_rejected_where_the_column_needs_a_day(raw):
    with pytest.raises(CellError, match="只到月份"):
        cells.parse_date(raw)


def test_full_date_in_a_month_ok_column_is_not_marked_month_only():
    value = cells.parse_date("2019-07-15", month_ok=True)
    assert value == datetime.date(2019, 7, 15)
    assert value.month_only is False


@pytest.mark.parametrize("raw", ["2019.13", "2019年0月"])
def test_month_only_date_with_a_month_that_does_not_exist_is_rejected(raw):
    with pytest.raises(CellError, match="月份"):
        cells.parse_date(raw, month_ok=True)


@pytest.mark.parametrize("raw", ["2023-02-29", "2023-04-31", "2023-13-01", "20230230"])
def test_a_day_that_does_not_exist_is_rejected(raw):
    with pytest.raises(CellError, match="日期不存在"):
        cells.parse_date(raw)


def test_leap_day_is_a_real_date_in_a_leap_year():
    assert cells.parse_date("2024-02-29") == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("raw", ["1899-12-31", "2101-01-01"])
def test_an_unreasonable_year_is_rejected(raw):
    with pytest.raises(CellError, match="不合理"):
        cells.parse_date(raw)


@pytest.mark.parametrize("raw", ["1900-01-01", "2100-12-31"])
def test_years_at_the_edges_of_the_reasonable_range_are_accepted(raw):
    assert cells.parse_date(raw).year in (1900, 2100)


@pytest.mark.parametrize("raw", ["明年", "2019", "7月1日", "2023-07-01-01", "2023—07—01"])
def test_text_that_is_not_a_date_is_rejected_with_the_value_quoted(raw):
    with pytest.raises(CellError, match="不是可识别的日期"):
        cells.parse_date(raw, month_ok=True)


def test_a_yes_no_cell_is_not_a_date():
    with pytest.raises(CellError):
        cells.parse_date(True)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_an_empty_date_cell_is_none(raw):
    assert cells.parse_date(raw) is None
    assert cells.parse_date(raw, month_ok=True) is None


def test_format_date_writes_month_only_dates_as_year_dot_month():
    assert cells.format_date(datetime.date(2019, 7, 1), month_only=True) == "2019.07"
    assert cells.format_date(JULY_1) == JULY_1
    assert cells.format_date(None) is None


def test_a_month_only_date_written_by_export_reads_back_as_the_same_month():
    written = cells.format_date(datetime.date(2019, 7, 1), month_only=True)
    value = cells.parse_date(written, month_ok=True)
    assert value == datetime.date(2019, 7, 1)
    assert value.month_only is True


# -- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),
        ("１，２３４．５", Decimal("1234.5")),
        (" 1 234.5 ", Decimal("1234.5")),
        ("\u30001234.5\u3000", Decimal("1234.5")),
        ("12,345,678.123456", Decimal("12345678.123456")),
        ("5610.25万元", Decimal("5610.25")),
        (1234, Decimal(1234)),
        (1234.5, Decimal("1234.5")),
        ("0", Decimal(0)),
        ("5.0", Decimal(5)),
    ],
)
def test_numbers_accept_full_width_digits_thousands_separators_and_spaces(raw, expected):
    value = cells.parse_decimal(raw, unit="万元")
    assert value == expected
    assert isinstance(value, Decimal)


def test_money_is_kept_exactly_not_as_a_float():
    value = cells.parse_decimal("0.1", unit="万元") + cells.parse_decimal("0.2", unit="万元")
    assert value == Decimal("0.3")
    assert str(cells.parse_decimal("5610.123456", unit="万元")) == "5610.123456"


def test_money_with_more_decimal_places_than_stored_is_rejected():
    assert cells.parse_decimal("1.123456", places=6) == Decimal("1.123456")
    with pytest.raises(CellError, match="小数位数超过 6 位"):
        cells.parse_decimal("1.1234567", places=6)


def test_money_below_the_minimum_is_rejected_at_the_edge():
    assert cells.parse_decimal("0", min_value=0) == 0
    with pytest.raises(CellError, match="不能小于 0"):
        cells.parse_decimal("-0.01", min_value=0)


def test_negative_money_is_accepted_without_a_minimum():
    assert cells.parse_decimal("-12.5", unit="万元") == Decimal("-12.5")


@pytest.mark.parametrize("raw", ["abc", "十二", "NaN", "Infinity", "1.2.3", True])
def test_a_cell_that_is_not_a_number_is_rejected(raw):
    with pytest.raises(CellError):
        cells.parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1,200", 1200), ("１２００", 1200), (" 1 200 ", 1200), (12.0, 12)]
)
def test_whole_numbers_accept_the_same_forms(raw, expected):
    assert cells.parse_int(raw) == expected


def test_a_whole_number_column_rejects_a_fraction():
    with pytest.raises(CellError, match="应为整数"):
        cells.parse_int("12.5")


def test_a_whole_number_column_rejects_a_negative_count_at_the_edge():
    assert cells.parse_int("0") == 0
    with pytest.raises(CellError, match="不能小于 0"):
        cells.parse_int("-1")


@pytest.mark.parametrize(
    ("raw", "expected"), [("2023", 2023), ("2023年", 2023), ("2023年度", 2023), (2023, 2023)]
)
def test_a_year_is_four_digits_with_or_without_nian(raw, expected):
    assert cells.parse_year(raw) == expected


@pytest.mark.parametrize("raw", ["23", "20233", "2023.5", "二〇二三"])
def test_a_year_that_is_not_four_digits_is_rejected(raw):
    with pytest.raises(CellError, match="四位年份"):
        cells.parse_year(raw)


# -- yes / no ---------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["是", "Y", "y", "√", "1", "TRUE", "true", "Ｙ", " 是 ", 1, 1.0, True])
def test_yes_forms_are_true(raw):
    assert cells.parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["否", "N", "n", "×", "0", "FALSE", "false", 0, 0.0, False])
def test_no_forms_are_false(raw):
    assert cells.parse_bool(raw) is False


@pytest.mark.parametrize("raw", ["是的", "可能", "2", "√×"])
def test_a_yes_no_cell_with_anything_else_is_rejected(raw):
    with pytest.raises(CellError, match="应为 是/否"):
        cells.parse_bool(raw)


def test_an_empty_yes_no_cell_is_none_not_false():
    assert cells.parse_bool("") is None
    assert cells.parse_bool(None) is None


# -- lists ------------------------------------------------------------------------------------
def test_a_list_cell_splits_on_every_separator():
    raw = "张三、李四,王五，赵六;钱七；孙八\n周九\r\n吴十"
    assert cells.parse_list(raw) == ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十"]


def test_a_list_cell_drops_spaces_and_empty_items():
    assert cells.parse_list(" 张三 、、 李四\u3000，") == ["张三", "李四"]
    assert cells.parse_list("") == []
    assert cells.parse_list(None) == []


def test_a_list_of_one_name_is_that_name():
    assert cells.parse_list("张三") == ["张三"]


# -- text and choices -------------------------------------------------------------------------
def test_text_is_trimmed_of_spaces_and_full_width_spaces():
    assert cells.text("\u3000 甲一党支部 \u3000") == "甲一党支部"


def test_text_longer_than_the_column_allows_is_rejected_at_the_edge():
    assert cells.text("甲" * 5, max_length=5) == "甲" * 5
    with pytest.raises(CellError, match="超过 5 个字"):
        cells.text("甲" * 6, max_length=5)


@pytest.mark.parametrize("guarded", ["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tx", "'\rx"])
def test_the_apostrophe_our_csv_export_puts_before_a_formula_start_is_stripped(guarded):
    assert cells.text(guarded) == guarded[1:]
    assert cells.clean_text(guarded) == guarded[1:]


def test_an_apostrophe_before_ordinary_text_is_kept():
    assert cells.text("'甲一") == "'甲一"
    assert cells.text("'") == "'"


def test_a_choice_is_matched_by_its_ledger_word_ignoring_spaces():
    from dangjian.organizations.models import OrgKind

    assert cells.parse_choice(" 党 支部 ", OrgKind) == OrgKind.BRANCH
    assert cells.parse_choice("党小组", OrgKind) == OrgKind.PARTY_GROUP


def test_a_choice_that_is_not_listed_is_rejected_with_the_allowed_words():
    from dangjian.organizations.models import OrgKind

    with pytest.raises(CellError) as caught:
        cells.parse_choice("支部", OrgKind)
    assert "“支部”不是可选值" in str(caught.value)
    assert "党支部" in str(caught.value)
