"""Cleaning rules of the cases program: the same words on pages and in the API."""

import datetime as dt

from django.utils.translation import gettext as _

from gaoxin.cases.enums import AidKind, DemandCategory, DemandSource, Satisfaction
from gaoxin.core.cleaning import Cleaned, Cleaner

MAX_AID_FEN = 100_000_00  # 10 万元 per application: more is a typo
MAX_DUE_DAYS = 366


def clean_meeting(raw: dict) -> Cleaned:
    c = Cleaner(raw)
    c.day("held_on", label=_("会议日期"))
    c.text("title", label=_("会议名称"), max_length=100)
    c.text("minutes", label=_("会议纪要"), max_length=20000, required=False)
    return c.out


def clean_demand(raw: dict, *, today: dt.date) -> Cleaned:
    c = Cleaner(raw)
    c.text("title", label=_("诉求标题"), max_length=100)
    c.text("detail", label=_("诉求内容"), max_length=5000, required=False)
    c.choice("category", DemandCategory, label=_("类别"), default=None)
    c.choice("source", DemandSource, label=_("来源"), default=None)
    due = c.day("due_on", label=_("办理期限"), required=False)
    if due is not None and not today - dt.timedelta(days=3650) <= due:
        c.error("due_on", _("办理期限不能早于受理日期太久"))
    return c.out


def clean_note(raw: dict, key: str, label, *, required: bool = True) -> Cleaned:
    c = Cleaner(raw)
    c.text(key, label=label, max_length=5000, required=required)
    return c.out


def clean_due(raw: dict, *, start: dt.date, label) -> Cleaned:
    """A due date on or after `start` and within a year of it."""
    c = Cleaner(raw)
    due = c.day("due_on", label=label)
    if due is not None and not start <= due <= start + dt.timedelta(days=MAX_DUE_DAYS):
        c.error("due_on", _("%(label)s应在今天到一年之内") % {"label": label})
    return c.out


def clean_satisfaction(raw: dict) -> Cleaned:
    c = Cleaner(raw)
    c.choice("satisfaction", Satisfaction, label=_("满意度"), default=None)
    c.text("comment", label=_("评价意见"), max_length=500, required=False)
    return c.out


def clean_aid(raw: dict) -> Cleaned:
    c = Cleaner(raw)
    c.choice("kind", AidKind, label=_("帮扶类型"), default=None)
    if "amount_fen" in raw:
        c.integer("amount_fen", label=_("金额（分）"), low=1, high=MAX_AID_FEN)
    else:
        c.money("amount", label=_("金额"), low=1, high=MAX_AID_FEN)
        if "amount" in c.out.values:
            c.out.values["amount_fen"] = c.out.values.pop("amount")
    start = c.day("period_start", label=_("所属期间起"))
    end = c.day("period_end", label=_("所属期间止"))
    if start and end:
        if end < start:
            c.error("period_end", _("所属期间止不能早于所属期间起"))
        elif (end - start).days > MAX_DUE_DAYS:
            c.error("period_end", _("所属期间不能超过一年"))
    c.text("reason", label=_("申请理由"), max_length=2000, required=False)
    return c.out
