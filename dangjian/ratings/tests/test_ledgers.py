"""评星结果 (ratings) ledger — LEDGERS.md: messy files (星级 as 五星级, 5星, ★★★★★, full-width
digits; 年度 as 2024年度; 得分 with spaces), all or nothing with row errors, re-import and round
trip, and a campaign's named result never overwritten."""

import pytest

from dangjian.core.ledgers import import_ledger
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
    xlsx_bytes,
)
from dangjian.ratings.models import RatingSource, StarRating

from .factories import run_to

pytestmark = pytest.mark.django_db

HEADER = ["党组织", "年度", "星级", "得分"]
FORMATS = ["xlsx", "csv-bom", "csv-gb18030"]


def load(*rows, header=HEADER, fmt="xlsx", **options):
    return import_rows("ratings", [header, *rows], fmt, **options)


def ratings():
    return sorted((r.organization.name, r.year, r.stars, r.score) for r in StarRating.objects.all())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_creates_the_results_it_states(zone, fmt):
    report = load(["乙企业党支部", "2024", "五星级", "95.5"], ["甲一党支部", "2024年", "三星级", ""], fmt=fmt)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert ratings() == [("乙企业党支部", 2024, 5, 95.5), ("甲一党支部", 2024, 3, None)]
    rating = StarRating.objects.get(organization=zone.branch_b)
    assert (rating.source, rating.org_path) == (RatingSource.LEDGER, zone.branch_b.path)


@pytest.mark.parametrize(
    ("written", "stars"),
    [
        ("五星级", 5),
        ("五星", 5),
        ("四星级", 4),
        ("一星", 1),
        ("5", 5),
        (5, 5),
        (4.0, 4),
        ("4.0", 4),
        ("5星", 5),
        ("3星级", 3),
        ("★★★★★", 5),
        ("★★", 2),
        ("５", 5),
        ("４星级", 4),
        (" 二星级 ", 2),
    ],
)
def test_the_stars_are_understood_however_written(zone, written, stars):
    report = load(["乙企业党支部", 2024, written, None])
    assert report.ok, report.errors
    assert StarRating.objects.get().stars == stars


@pytest.mark.parametrize("written", [2024, 2024.0, "2024", "2024年", "2024年度", "２０２４", " 2024 "])
def test_the_year_is_understood_however_written(zone, written):
    report = load(["乙企业党支部", written, "四星级", None])
    assert report.ok, report.errors
    assert StarRating.objects.get().year == 2024


@pytest.mark.parametrize(
    ("written", "score"), [(" 88.5 ", "88.5"), ("８８．５", "88.5"), (90, "90"), ("90分", "90")]
)
def test_the_score_is_understood_with_spaces_and_full_width_digits(zone, written, score):
    report = load(["乙企业党支部", 2024, "四星级", written])
    assert report.ok, report.errors
    assert f"{StarRating.objects.get().score.normalize():f}" == score


def test_the_synonym_of_the_year_and_a_title_row_are_understood(zone):
    data = xlsx_bytes(
        [["往年评星结果"], ["党组织", "评定年度", "星级", "得分"], ["乙企业党支部", "2023", "4", 85]]
    )
    report = import_ledger("ratings", data, "台账.xlsx")
    assert report.ok, report.errors
    assert report.header_row == 2
    assert ratings() == [("乙企业党支部", 2023, 4, 85)]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (["乙企业党支部", 2024, "六星级", None], "第 2 行 星级：“六星级”不是星级（一星级至五星级，或 1～5）"),
        (["乙企业党支部", 2024, "0", None], "第 2 行 星级：“0”不是星级（一星级至五星级，或 1～5）"),
        (["乙企业党支部", 2024, "4.5", None], "第 2 行 星级：“4.5”不是星级（一星级至五星级，或 1～5）"),
        (["乙企业党支部", 2024, "优秀", None], "第 2 行 星级：“优秀”不是星级（一星级至五星级，或 1～5）"),
        (["乙企业党支部", 2024, "四星级", "101"], "第 2 行 得分：得分应在 0 到 100 之间（填写的是 101）"),
        (["乙企业党支部", 2024, "四星级", "-1"], "第 2 行 得分：得分应在 0 到 100 之间（填写的是 -1）"),
        (["乙企业党支部", 2024, "四星级", "很好"], "第 2 行 得分：“很好”不是数字"),
        (["乙企业党支部", 2024, "四星级", "88.25"], "第 2 行 得分：小数位数超过 1 位"),
        (["乙企业党支部", "24年", "四星级", None], "第 2 行 年度：“24年”应为四位年份"),
        (["乙企业党支部", None, "四星级", None], "第 2 行 年度：必填，不能为空"),
        (["丙企业党支部", 2024, "四星级", None], "第 2 行 党组织：找不到党组织“丙企业党支部”"),
    ],
)
def test_a_bad_cell_is_an_error_naming_row_and_column(zone, row, error):
    report = load(row)
    assert error_briefs(report) == [error]
    assert not StarRating.objects.exists()


def test_an_error_names_the_record_and_the_value_as_written(zone):
    report = load(["乙企业党支部", 2024, "六星", None])
    assert (
        report.errors[0] == "第 2 行 星级：“六星”不是星级（一星级至五星级，或 1～5）；记录：乙企业党支部 2024"
    )


def test_one_bad_row_and_nothing_is_written(zone):
    before = record_changes()
    report = load(["乙企业党支部", 2024, "五星级", 95], ["甲一党支部", 2024, "七星", None])
    assert not report.ok
    assert [e.row for e in report.errors] == [3]
    assert not StarRating.objects.exists()
    assert record_changes() == before


def test_a_row_updates_the_result_of_its_organization_and_year(zone):
    load(["乙企业党支部", 2024, "三星级", 75])
    report = load(["乙企业党支部", "2024年度", "4星", 82])
    assert (report.created, report.updated) == (0, 1)
    assert ratings() == [("乙企业党支部", 2024, 4, 82)]
    assert [str(c) for c in report.rows[0].changes]  # the changed columns are listed


def test_without_the_score_column_an_update_keeps_the_score(zone):
    load(["乙企业党支部", 2024, "三星级", 75])
    report = load(["乙企业党支部", 2024, "四星级"], header=["党组织", "年度", "星级"])
    assert report.updated == 1
    assert ratings() == [("乙企业党支部", 2024, 4, 75)]


def test_the_same_row_twice_is_one_result_and_two_different_are_an_error(zone):
    report = load(["乙企业党支部", 2024, "四星级", 80], ["乙企业党支部", "2024年", "4", "80"])
    assert (report.created, report.unchanged) == (1, 1)
    report = load(["甲一党支部", 2024, "四星级", 80], ["甲一党支部", 2024, "五星级", 80])
    assert error_briefs(report) == ["第 3 行 党组织：与第 2 行重复，但内容不同"]


def test_re_importing_the_same_file_changes_nothing(zone):
    rows = (["乙企业党支部", 2024, "★★★★", " 85 "], ["甲一党支部", "2023年", "五星", "９６"])
    load(*rows)
    before = record_changes()
    report = load(*rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert record_changes() == before


def test_the_export_writes_the_stars_in_words_and_imports_back_unchanged(zone):
    load(
        ["乙企业党支部", 2024, "4", 85],
        ["甲一党支部", 2023, "★★★★★", 96.5],
        ["甲二党支部", 2024, "一星", None],
    )
    assert export_rows("ratings") == [
        HEADER,
        ["甲二党支部", 2024, "一星级", None],
        ["乙企业党支部", 2024, "四星级", 85],
        ["甲一党支部", 2023, "五星级", 96.5],
    ]
    assert_round_trip("ratings")
    assert_round_trip("ratings", fmt="csv")


def test_a_result_named_by_a_campaign_is_not_overwritten_by_the_ledger(zone):
    run_to("named", zone)
    named = StarRating.objects.get(organization=zone.branch_b, year=2025)
    report = load(["乙企业党支部", 2025, "五星级", 100])
    assert error_briefs(report) == [
        "第 2 行 年度：乙企业党支部的 2025 年星级已由评星活动“2025年度评星晋级·争创双强”命名，不能由台账覆盖"
    ]
    assert StarRating.objects.get(pk=named.pk).stars == 4


def test_the_export_of_named_results_imports_back_unchanged(zone):
    run_to("named", zone)
    load(["乙企业党支部", 2023, "三星级", 72])
    assert_round_trip("ratings")


def test_a_secretary_may_not_import_results(zone, secretary_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="您没有导入评星结果的权限"):
        load(["甲一党支部", 2024, "四星级", None], actor=secretary_a)


def test_the_export_is_the_users_scope(zone, secretary_a):
    load(["乙企业党支部", 2024, "4", 85], ["甲一党支部", 2024, "5", 96])
    assert export_rows("ratings", user=secretary_a)[1:] == [["甲一党支部", 2024, "五星级", 96]]
