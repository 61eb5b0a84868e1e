"""Pure welfare rules shared by services, forms and the API: cleaning campaign
input, who may claim, voucher codes and money typed in yuan."""

import datetime as dt
import re
import secrets
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.domain import Cleaned, day_range_message, moment_in_range
from gaoxin.core.enums import JobType, PersonRole
from gaoxin.core.models import Enterprise, Person
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


def parse_yuan(raw) -> int:
    """ "35", "35.5", "1,234.56" (yuan) → integer fen; ValueError with a Chinese reason."""
    text = str(raw or "").strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("请输入金额，如 35 或 35.50")) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValueError(_("金额最多精确到分（两位小数）"))
    return int(value * 100)


def _int(raw: dict, key: str, out: Cleaned, *, label: str, low: int, high: int) -> None:
    value = raw.get(key)
    if value in (None, ""):
        out.errors[key] = _("请填写%(label)s") % {"label": label}
        return
    if isinstance(value, bool):
        out.errors[key] = _("%(label)s应为整数") % {"label": label}
        return
    try:
        number = int(value)
    except (TypeError, ValueError):
        out.errors[key] = _("%(label)s应为整数") % {"label": label}
        return
    if number != value and not isinstance(value, str):
        out.errors[key] = _("%(label)s应为整数") % {"label": label}
    elif not low <= number <= high:
        out.errors[key] = _("%(label)s应在 %(low)s 到 %(high)s 之间") % {
            "label": label, "low": low, "high": high,
        }  # fmt: skip
    else:
        out.values[key] = number


def _when(raw: dict, key: str, out: Cleaned, *, label: str, required: bool) -> None:
    value = raw.get(key)
    if value in (None, ""):
        if required:
            out.errors[key] = _("请填写%(label)s") % {"label": label}
        else:
            out.values[key] = None
        return
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            out.errors[key] = _("%(label)s格式应为 YYYY-MM-DD HH:MM") % {"label": label}
            return
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        out.errors[key] = _("%(label)s格式应为 YYYY-MM-DD HH:MM") % {"label": label}
        return
    if not moment_in_range(value):  # before make_aware: year 1 would overflow
        out.errors[key] = day_range_message()
        return
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    out.values[key] = value


def _choice(raw: dict, key: str, choices, out: Cleaned, *, label: str) -> None:
    value = str(raw.get(key) or "").strip()
    by_label = {str(lbl): code for code, lbl in choices.choices}
    if value in choices.values:
        out.values[key] = value
    elif value in by_label:
        out.values[key] = by_label[value]
    else:
        out.errors[key] = _("请选择%(label)s，可选：%(options)s") % {
            "label": label, "options": "、".join(str(x) for x in choices.labels),
        }  # fmt: skip


def _text(
    raw: dict, key: str, out: Cleaned, *, label: str, max_length: int, required: bool
) -> None:
    value = str(raw.get(key) or "").strip()
    if required and not value:
        out.errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(value) > max_length:
        out.errors[key] = _("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": max_length}
    else:
        out.values[key] = value


def clean_campaign(raw: dict, *, zone_id: int) -> Cleaned:
    """Campaign input → field values and per-field Chinese errors. Money in fen."""
    out = Cleaned()
    _text(raw, "title", out, label=_("活动名称"), max_length=80, required=True)
    _choice(raw, "kind", CampaignKind, out, label=_("福利类型"))
    _text(raw, "description", out, label=_("说明"), max_length=2000, required=False)
    _choice(raw, "sponsor_kind", SponsorKind, out, label=_("出资方类型"))
    _text(raw, "sponsor_name", out, label=_("出资方"), max_length=80, required=True)
    _text(raw, "redeem_place_hint", out, label=_("使用地点"), max_length=120, required=False)
    _int(raw, "unit_value_fen", out, label=_("单份价值"), low=1, high=MAX_UNIT_VALUE_FEN)
    _int(raw, "stock", out, label=_("总份数"), low=1, high=MAX_STOCK)
    if raw.get("per_worker_limit") in (None, ""):
        out.values["per_worker_limit"] = 1
    else:
        _int(raw, "per_worker_limit", out, label=_("每人限领份数"), low=1, high=MAX_PER_WORKER)
    needed = out.values.get("stock", 0) * out.values.get("unit_value_fen", 0)
    if raw.get("budget_fen") in (None, ""):
        if needed:
            out.values["budget_fen"] = needed
    else:
        _int(raw, "budget_fen", out, label=_("预算"), low=1, high=MAX_BUDGET_FEN)
        if needed and out.values.get("budget_fen", needed) < needed:
            out.errors["budget_fen"] = _("预算不足：总份数 × 单份价值 = %(need)s 元") % {
                "need": f"{needed / 100:,.2f}"
            }
    _when(raw, "claim_starts_at", out, label=_("开始领取时间"), required=True)
    _when(raw, "claim_ends_at", out, label=_("截止领取时间"), required=True)
    _when(raw, "redeem_until", out, label=_("核销截止时间"), required=False)
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
        out.errors["eligible_job_types"] = _("职业类型“%(v)s”不是可选值") % {
            "v": "、".join(map(str, bad))
        }
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
            out.errors["eligible_enterprise"] = _("限定企业不存在或不属于本园区")
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
