"""Roster columns: what each kind of roster holds, its headers and their aliases."""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gaoxin.core.enums import JobType, PersonRole
from gaoxin.core.errors import ApplicationError
from gaoxin.core.validators import id_check_digit, uscc_check_char

KINDS = ("enterprises", "people")


@dataclass(frozen=True)
class Column:
    """One roster column: the `clean_*` key, its Chinese header and its help text."""

    key: str
    header: str
    required: bool = False
    help: str = ""
    example: str = ""
    #: extra header spellings accepted on import
    aliases: tuple[str, ...] = ()
    #: a code that must stay text (ID numbers, phones): Excel turns these into numbers
    identifier: bool = False
    #: allowed values, offered as a drop-down in the template
    options: tuple[str, ...] = ()
    #: shown in the template and exports when it differs from `header`
    display: str = ""

    @property
    def title(self) -> str:
        """Header text as written in templates: `企业名称*`, `新业态企业(是/否)`."""
        return (self.display or self.header) + ("*" if self.required else "")


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


def _example_uscc() -> str:
    first17 = "91441200MA4W5R8K2"[:17]
    return first17 + uscc_check_char(first17)


def _example_id_number() -> str:
    first17 = "44120419900307002"
    return first17 + id_check_digit(first17)


def columns(kind: str) -> list[Column]:
    """Columns of a roster kind. Built per call so labels follow the active language."""
    if kind == "enterprises":
        return [
            Column(
                "name",
                _("企业名称"),
                True,
                _("企业全称，最多 100 个字"),
                _("肇庆市中旺通物流代理有限公司"),
            ),
            Column(
                "uscc",
                _("统一社会信用代码"),
                True,
                _("18 位，按 GB 32100 校验；同一园区内不能重复"),
                _example_uscc(),
                aliases=(_("信用代码"), _("社会信用代码")),
                identifier=True,
            ),
            Column("industry", _("行业"), help=_("最多 40 个字"), example=_("物流")),
            Column(
                "address", _("地址"), help=_("最多 200 个字"), example=_("肇庆高新区建设路 1 号")
            ),
            Column("contact_name", _("联系人"), help=_("最多 40 个字"), example=_("冯立松")),
            Column(
                "contact_phone",
                _("联系电话"),
                help=_("11 位手机号或带区号的固定电话（如 0758-2345678）"),
                example="0758-2345678",
                identifier=True,
            ),
            Column(
                "is_new_economy",
                _("新业态企业"),
                help=_("填“是”或“否”，留空为“否”"),
                example=_("是"),
                aliases=(_("是否新业态企业"),),
                options=(_("是"), _("否")),
                display=_("新业态企业(是/否)"),
            ),
        ]
    if kind == "people":
        return [
            Column("name", _("姓名"), True, _("最多 40 个字"), _("冯立松")),
            Column(
                "id_number",
                _("身份证号"),
                help=_(
                    "18 位居民身份证号，最后一位可为 X；同一园区内不能重复。"
                    "性别和出生日期由身份证号自动得出"
                ),
                example=_example_id_number(),
                aliases=(_("身份证号码"), _("公民身份号码"), _("身份证")),
                identifier=True,
            ),
            Column(
                "phone",
                _("手机号码"),
                help=_("11 位手机号；同一园区内不能重复"),
                example="13812345678",
                aliases=(_("手机号"), _("手机")),
                identifier=True,
            ),
            Column(
                "role",
                _("身份"),
                help=_("留空为“%(default)s”") % {"default": PersonRole.WORKER.label},
                example=str(PersonRole.WORKER.label),
                options=_labels(PersonRole),
            ),
            Column(
                "job_type",
                _("职业类型"),
                help=_("可留空"),
                example=str(JobType.COURIER.label),
                options=_labels(JobType),
            ),
            Column(
                "employer_uscc",
                _("所在企业统一社会信用代码"),
                help=_("企业须已在本园区登记（可先导入企业名册）；可留空"),
                example=_example_uscc(),
                aliases=(_("所在企业信用代码"),),
                identifier=True,
            ),
        ]
    raise ApplicationError(_("不支持的名册类型：%(kind)s") % {"kind": kind}, code="bad_kind")


def kind_label(kind: str) -> str:
    return _("企业") if kind == "enterprises" else _("人员")


def sheet_title(kind: str) -> str:
    return _("企业名册") if kind == "enterprises" else _("人员名册")


#: Headers written by exports (masked identifiers) or that merely repeat what the
#: ID number says. Enterprises: ignored with a warning, so an export re-imports.
#: People: a masked ID cannot be deduplicated, so a people export is refused.
def masked_header(header: str) -> str:
    return header + _("(已脱敏)")


def _ignored_headers(kind: str) -> dict[str, str]:
    """Normalized header → warning ('' = ignore silently)."""
    ignored = {_("序号"): ""}
    if kind == "enterprises":
        ignored[_normalize_header(masked_header(_("联系电话")))] = _(
            "联系电话是脱敏数据，已忽略该列"
        )
    else:
        ignored[_("性别")] = ""
        ignored[_("出生日期")] = ""
    return ignored


def _refused_headers(kind: str) -> set[str]:
    if kind != "people":
        return set()
    return {
        _normalize_header(masked_header(_("身份证号"))),
        _normalize_header(masked_header(_("手机号码"))),
    }


def _normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    text = re.sub(r"\s+", "", text)
    return text.rstrip("*")
