"""The rules of member development in ONE table: what the services enforce and what the
officers read on the rules page. A refusal names its rule (`RuleRefused`)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core.errors import InvalidInput

RULES_SOURCE = _("《中国共产党发展党员工作细则》（2014 年）")
CONSTITUTION = _("《中国共产党章程》")


@dataclass(frozen=True)
class Rule:
    id: str
    text: Promise
    source: Promise
    article: Promise
    refuses: bool = True  # False: a reminder (to-do), never a refusal


AGE_18 = Rule(
    "age_18",
    _("递交入党申请时须年满十八岁"),
    CONSTITUTION,
    _("第一条；《细则》第七条"),
)
TALK_ONE_MONTH = Rule(
    "talk_one_month",
    _("党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话"),
    RULES_SOURCE,
    _("第八条"),
    refuses=False,
)
ACTIVIST_ONE_YEAR = Rule(
    "activist_one_year",
    _("经过一年以上培养教育和考察的入党积极分子，方可列为发展对象"),
    RULES_SOURCE,
    _("第十五条"),
)
PROBATION_ONE_YEAR = Rule(
    "probation_one_year",
    _("预备党员的预备期为一年，预备期满方可转为正式党员"),
    CONSTITUTION,
    _("第七条；《细则》第三十条"),
)
ONE_STEP = Rule(
    "one_step",
    _("发展阶段只能依次向前推进一步：入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员"),
    RULES_SOURCE,
    _("第二章至第六章"),
)
DATE_ORDER = Rule(
    "date_order",
    _("每一阶段的日期不得晚于今天，也不得早于上一阶段的日期"),
    _("本平台登记规则"),
    "",
)

RULES: list[Rule] = [
    AGE_18,
    TALK_ONE_MONTH,
    ACTIVIST_ONE_YEAR,
    PROBATION_ONE_YEAR,
    ONE_STEP,
    DATE_ORDER,
]


class RuleRefused(InvalidInput):
    """A pipeline step the rules forbid: 422 with the rule's id, text and source."""

    status = 422
    code = "rule_refused"

    def __init__(self, rule: Rule, field: str, detail: str = ""):
        message = gettext("不符合规定：%(text)s（%(source)s%(article)s）") % {
            "text": rule.text,
            "source": rule.source,
            "article": rule.article,
        }
        self.rule = rule
        super().__init__({field: f"{message}{detail}", "rule": rule.id}, message)


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_later(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def talk_due_on(applied_on: dt.date) -> dt.date:
    return month_later(applied_on)
