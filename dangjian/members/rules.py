"""Default rules for member development and party dues (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules

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
)

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
)


# 站内消息: the secretaries are reminded of a development step this many days before its limit
# (the talk, the higher committee's approval, the end of the probation), and daily after it.
REMINDERS = "members.reminders"


def _check_reminders(values):
    days = values["days_before_due"]
    return [] if days >= 0 else ["提前提醒的天数不能为负数"]


register_rules(REMINDERS, "发展党员到期提醒", {"days_before_due": 7}, validate=_check_reminders)
