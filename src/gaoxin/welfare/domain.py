"""Pure welfare rules shared by services, forms and the API: cleaning campaign
input, who may claim, voucher codes and money typed in yuan."""

import datetime as dt
import re
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.cleaning import Cleaned, Cleaner, parse_yuan  # noqa: F401  (forms' parse_yuan)
from gaoxin.core.enums import JobType, PersonRole
from gaoxin.registry.models import Enterprise, Person
from gaoxin.welfare.enums import CampaignKind, CampaignStatus, SponsorKind
from gaoxin.welfare.models import MAX_PER_WORKER, Campaign

MAX_UNIT_VALUE_FEN = 100_000_00  # 十万元 per voucher is already far beyond any welfare item
MAX_STOCK = 1_000_000
MAX_BUDGET_FEN = 10**12

# Crockford base32: no I, L, O, U, so a code read aloud or typed from paper survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: unguessable at any rate a server answers
_CODE_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a merchant typed → the stored code, or "" when it cannot be one."""
    code = re.sub(r"[\s\-_]", "", str(raw or "")).upper().translate(_CODE_FIXES)
    return code if _CODE_RE.match(code) else ""


def job_type_message(value: str) -> str:
    return _("职业类型“%(v)s”不是可选值") % {"v": value}


def enterprise_message() -> str:
    return _("限定企业不存在或不属于本园区")


def clean_campaign(raw: dict, *, zone_id: int) -> Cleaned:
    """Campaign input → field values and per-field Chinese errors. Money in fen."""
    c = Cleaner(raw)
    out = c.out
    c.text("title", label=_("活动名称"), max_length=80)
    c.choice("kind", CampaignKind, label=_("福利类型"), default=None)
    c.text("description", label=_("说明"), max_length=2000, required=False)
    c.choice("sponsor_kind", SponsorKind, label=_("出资方类型"), default=None)
    c.text("sponsor_name", label=_("出资方"), max_length=80)
    c.text("redeem_place_hint", label=_("使用地点"), max_length=120, required=False)
    c.integer("unit_value_fen", label=_("单份价值"), low=1, high=MAX_UNIT_VALUE_FEN)
    c.integer("stock", label=_("总份数"), low=1, high=MAX_STOCK)
    c.integer(
        "per_worker_limit",
        label=_("每人限领份数"),
        low=1,
        high=MAX_PER_WORKER,
        required=False,
        default=1,
    )
    needed = out.values.get("stock", 0) * out.values.get("unit_value_fen", 0)
    if raw.get("budget_fen") in (None, ""):
        if needed:
            out.values["budget_fen"] = needed
    else:
        c.integer("budget_fen", label=_("预算"), low=1, high=MAX_BUDGET_FEN)
        if needed and out.values.get("budget_fen", needed) < needed:
            out.errors["budget_fen"] = _("预算不足：总份数 × 单份价值 = %(need)s 元") % {
                "need": f"{needed / 100:,.2f}"
            }
    c.moment("claim_starts_at", label=_("开始领取时间"))
    c.moment("claim_ends_at", label=_("截止领取时间"))
    c.moment("redeem_until", label=_("核销截止时间"), required=False)
    start, end = out.values.get("claim_starts_at"), out.values.get("claim_ends_at")
    if start and end and end <= start:
        out.errors["claim_ends_at"] = _("截止领取时间必须晚于开始领取时间")
    until = out.values.get("redeem_until")
    if until and end and until < end:
        out.errors["redeem_until"] = _("核销截止时间不能早于截止领取时间")
    jobs = raw.get("eligible_job_types") or []
    if isinstance(jobs, str):
        jobs = [j for j in re.split(r"[,，、\s]+", jobs) if j]
    bad = [j for j in jobs if j not in JobType.values]
    if bad:
        out.errors["eligible_job_types"] = job_type_message("、".join(map(str, bad)))
    else:
        out.values["eligible_job_types"] = sorted(set(jobs))
    firm = raw.get("eligible_enterprise", raw.get("eligible_enterprise_id"))
    if firm in (None, "", 0):
        out.values["eligible_enterprise"] = None
    else:
        firm_id = firm.pk if isinstance(firm, Enterprise) else firm
        found = (
            Enterprise.objects.filter(zone_id=zone_id, pk=firm_id).first()
            if str(firm_id).isdigit()
            else None
        )
        if found is None:
            out.errors["eligible_enterprise"] = enterprise_message()
        else:
            out.values["eligible_enterprise"] = found
    return out


def eligibility_problem(campaign: Campaign, person: Person) -> str:
    """Why this person may not claim from this campaign at all ("" if they may)."""
    if person.zone_id != campaign.zone_id:
        return _("仅限本园区登记的新就业形态劳动者领取")
    if person.role != PersonRole.WORKER:
        return _("仅限登记为新就业形态劳动者的人员领取")
    if campaign.eligible_job_types and person.job_type not in campaign.eligible_job_types:
        labels = "、".join(str(JobType(j).label) for j in campaign.eligible_job_types)
        return _("本活动仅限%(jobs)s领取") % {"jobs": labels}
    if campaign.eligible_enterprise_id and person.employer_id != campaign.eligible_enterprise_id:
        return _("本活动仅限%(firm)s的职工领取") % {"firm": campaign.eligible_enterprise}
    return ""


def eligibility_text(campaign: Campaign) -> str:
    """Who may claim, in one line for officers."""
    parts = [_("本园区登记的新就业形态劳动者")]
    if campaign.eligible_job_types:
        parts.append(
            _("限%(jobs)s")
            % {"jobs": "、".join(str(JobType(j).label) for j in campaign.eligible_job_types)}
        )
    if campaign.eligible_enterprise_id:
        parts.append(_("限%(firm)s职工") % {"firm": campaign.eligible_enterprise})
    return "，".join(parts)


def timing_problem(campaign: Campaign, at: dt.datetime) -> str:
    """Why nobody can claim right now ("" if the campaign is taking claims)."""
    if campaign.status != CampaignStatus.OPEN:
        return _("活动未开放领取（当前状态：%(s)s）") % {"s": campaign.get_status_display()}
    if at < campaign.claim_starts_at:
        return _("活动尚未开始，%(t)s 起可领取") % {"t": local_minute(campaign.claim_starts_at)}
    if at >= campaign.claim_ends_at:
        return _("领取时间已截止（%(t)s）") % {"t": local_minute(campaign.claim_ends_at)}
    if campaign.issued >= campaign.stock:
        return _("已领完")
    return ""


PLACE_SEPARATORS = re.compile(r"[、,，;；/\n]+")


def place_names(hint: str) -> list[str]:
    """The names listed in a campaign's 使用地点 ("万达影城、星光影城"), in order."""
    return [name.strip() for name in PLACE_SEPARATORS.split(hint or "") if name.strip()]


def local_minute(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
