"""Default rules for member development and party dues (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

DEVELOPMENT = "members.development"
DUES = "members.dues"

# 《中国共产党发展党员工作细则》
register_rules(
    DEVELOPMENT,
    "发展党员时限",
    {
        "min_age": 18,  # 年满十八岁方可申请
        "talk_within_months": 1,  # 收到入党申请书后一个月内派人谈话
        "activist_min_years": 1,  # 培养教育考察一年以上方可列为发展对象
        "training_min_days": 3,  # 集中培训不少于三天
        "training_min_hours": 24,  # 或不少于二十四个学时
        "introducers": 2,  # 两名正式党员作入党介绍人
        "probation_years": 1,  # 预备期一年，从支部大会通过之日算起
        "approval_warning_months": 3,  # 上级党委三个月内审批
        "approval_redo_months": 6,  # 超过六个月须重新履行接收手续
        "extension_min_months": 6,  # 延长预备期不少于半年
        "extension_max_months": 12,  # 最长不超过一年，只能延长一次
    },
    spec=DataSpec(
        labels={
            "min_age": "申请入党的最低年龄（周岁）",
            "talk_within_months": "收到入党申请书后派人谈话的时限（月）",
            "activist_min_years": "列为积极分子后方可列为发展对象的最短时间（年）",
            "training_min_days": "集中培训不少于（天）",
            "training_min_hours": "或集中培训不少于（学时）",
            "introducers": "入党介绍人（名正式党员）",
            "probation_years": "预备期（年）",
            "approval_warning_months": "上级党委审批时限（月，超过即预警）",
            "approval_redo_months": "超过即须重新履行接收手续（月）",
            "extension_min_months": "延长预备期不少于（月）",
            "extension_max_months": "延长预备期最长（月）",
        }
    ),
)


def _bound_text(bound) -> str:
    return "不限" if bound is None else f"{bound} 元及以下"


def _check_dues(values):
    """Each table of brackets: upper bounds rising, only the last one without a bound (the rest
    of the incomes), rates between 0 and 1; fixed amounts not negative."""
    from decimal import Decimal, InvalidOperation

    problems = []
    for category, name in (("employed", "在职党员"), ("retired", "离退休党员")):
        brackets = values[category]
        try:
            bounds = [None if b is None else Decimal(b) for b, _ in brackets]
            rates = [Decimal(r) for _, r in brackets]
        except (InvalidOperation, TypeError, ValueError):
            problems.append(f"{name}的收入上限和交纳比例应为数字")
            continue
        if bounds[-1] is not None or None in bounds[:-1]:
            problems.append(f"{name}的最后一档不填收入上限（含以上全部收入），其余各档都要填")
        given = [b for b in bounds if b is not None]
        if given != sorted(set(given)):
            problems.append(f"{name}各档的收入上限应逐档升高")
        if any(not 0 <= r <= 1 for r in rates):
            problems.append(f"{name}的交纳比例应在 0 至 100% 之间")
    amounts = [*values["fixed"].values(), values["farmer"]["min"], values["farmer"]["max"]]
    try:
        if any(Decimal(a) < 0 for a in amounts):
            problems.append("固定交纳和农民党员的金额不能为负数")
        elif Decimal(values["farmer"]["min"]) > Decimal(values["farmer"]["max"]):
            problems.append("农民党员交纳金额的最低额不能高于最高额")
    except (InvalidOperation, TypeError, ValueError):
        problems.append("固定交纳和农民党员的金额应为数字")
    return problems


# 《关于中国共产党党费收缴、使用和管理的规定》: one rate applied to the whole income of the bracket;
# amounts are rounded half up to the fen (0.01 元).
register_rules(
    DUES,
    "党费交纳标准",
    {
        "employed": [["3000", "0.005"], ["5000", "0.01"], ["10000", "0.015"], [None, "0.02"]],
        "retired": [["5000", "0.005"], [None, "0.01"]],
        "fixed": {"student": "0.20", "unemployed": "0.20", "relief": "0.20"},
        "farmer": {"min": "0.20", "max": "1.00"},
        "rounding": "ROUND_HALF_UP",
        "unpaid_warning_months": 3,
        "unpaid_review_months": 6,
    },
    validate=_check_dues,
    spec=DataSpec(
        labels={
            "employed": "在职党员（按税后月收入）",
            "employed.*.0": "月收入上限（元，含本数；空为不限）",
            "employed.*.1": "交纳比例",
            "retired": "离退休党员（按养老金）",
            "retired.*.0": "月养老金上限（元，含本数；空为不限）",
            "retired.*.1": "交纳比例",
            "fixed": "固定交纳（元/月）",
            "fixed.student": "学生党员",
            "fixed.unemployed": "下岗失业党员",
            "fixed.relief": "享受最低生活保障的党员",
            "farmer": "农民党员（元/月，由支部在此范围内核定）",
            "farmer.min": "最低",
            "farmer.max": "最高",
            "rounding": "计算结果",
            "unpaid_warning_months": "连续未交预警（月）",
            "unpaid_review_months": "连续未交提请支部审查（月）",
        },
        choices={"rounding": {"ROUND_HALF_UP": "四舍五入到分"}},
        percent=frozenset({"employed.*.1", "retired.*.1"}),
        formats={"employed.*.0": _bound_text, "retired.*.0": _bound_text},
    ),
)


# 站内消息: the secretaries are reminded of a development step this many days before its limit
# (the talk, the higher committee's approval, the end of the probation), and daily after it.
REMINDERS = "members.reminders"


def _check_reminders(values):
    days = values["days_before_due"]
    return [] if days >= 0 else ["提前提醒的天数不能为负数"]


register_rules(
    REMINDERS,
    "发展党员到期提醒",
    {"days_before_due": 7},
    validate=_check_reminders,
    spec=DataSpec(labels={"days_before_due": "到期前提前提醒（天）"}),
)
