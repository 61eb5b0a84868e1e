"""Excel (xlsx) export of the enterprise and people rosters.

Identifiers are written as their stored masks (`4412**********1234`); nothing
is decrypted, so an export is no more sensitive than a list page. Headers are
the import template's, and the masked ones say so (`联系电话(已脱敏)`): an
enterprise export imports into another zone as it is (the masked phone column
is ignored), while a people export is refused by the import, because masked
ID numbers cannot be checked for duplicates.
"""

from collections.abc import Callable
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.enums import Gender, JobType, PersonRole
from gaoxin.core.excel import MASKED, Column, Export, Sheet, write_xlsx
from gaoxin.core.models import User
from gaoxin.registry import selectors
from gaoxin.registry.imports import columns, kind_label, masked_header, sheet_title
from gaoxin.registry.models import Enterprise, Person

PROGRESS_EVERY = 1000
CHUNK_SIZE = 2000
#: the columns of each roster that hold (masked) identifiers
MASKED_COLUMNS = {"enterprises": {5}, "people": {1, 2}}


def export_headers(kind: str) -> list[str]:
    if kind == "enterprises":
        return [
            masked_header(c.header) if c.key == "contact_phone" else c.title
            for c in columns("enterprises")
        ]
    cols = {c.key: c for c in columns("people")}
    return [
        cols["name"].title,
        masked_header(cols["id_number"].header),
        masked_header(cols["phone"].header),
        _("性别"),
        cols["role"].title,
        cols["job_type"].title,
        cols["employer_uscc"].title,
    ]


def _queryset(*, user: User | None, kind: str, zone_id: int | None) -> QuerySet:
    """The selectors restrict to the user's zone and role; the operator (None) sees the zone."""
    if kind == "enterprises":
        if user is None:
            qs = Enterprise.objects.order_by("zone_id", "name", "id")
        else:
            qs = selectors.enterprises_for_user(user=user, zone_id=zone_id)
    else:
        if user is None:
            qs = Person.objects.select_related("employer").order_by("zone_id", "name_pinyin", "id")
        else:
            qs = selectors.people_for_user(user=user, zone_id=zone_id)
    return qs.filter(zone_id=zone_id) if zone_id else qs


def _enterprise_row(e: Enterprise) -> list:
    return [
        e.name,
        e.uscc,
        e.industry,
        e.address,
        e.contact_name,
        e.contact_phone_masked,
        _("是") if e.is_new_economy else _("否"),
    ]


def _person_row(p: Person, labels: dict) -> list:
    return [
        p.name,
        p.id_number_masked,
        p.phone_masked,
        labels["gender"].get(p.gender, ""),
        labels["role"].get(p.role, ""),
        labels["job_type"].get(p.job_type, ""),
        p.employer.uscc if p.employer_id else "",
    ]


def export_xlsx(
    *,
    user: User | None,
    kind: str,
    zone_id: int | None = None,
    fileobj: IO[bytes],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the roster the user may see (of one zone if given) to `fileobj`; returns the row count.

    `user=None` is the command-line operator: every row of `zone_id`. Raises
    Forbidden when the user lacks the view permission. Rows are streamed, so
    memory stays flat for large zones; the kit audits the export.
    """
    qs = _queryset(user=user, kind=kind, zone_id=zone_id)
    total = qs.count() if progress else 0
    labels = {
        "gender": {k: str(v) for k, v in Gender.choices},
        "role": {k: str(v) for k, v in PersonRole.choices},
        "job_type": {k: str(v) for k, v in JobType.choices},
    }
    masked = MASKED_COLUMNS[kind]
    cols = [
        Column(h, kind=MASKED) if i in masked else Column(h)
        for i, h in enumerate(export_headers(kind))
    ]

    def rows():
        count = 0
        if progress:
            progress(0, total)
        for obj in qs.iterator(chunk_size=CHUNK_SIZE):
            yield _enterprise_row(obj) if kind == "enterprises" else _person_row(obj, labels)
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, max(total, count))
        if progress:
            progress(count, count)

    export = Export(
        what=str(sheet_title(kind)),
        actor=user,
        zone=zone_id or getattr(user, "zone_id", None),
        sheets=[Sheet(sheet_title(kind), cols, rows())],
        notes=lambda n: _notes(kind, n),
    )
    return write_xlsx(export, fileobj)


def _notes(kind: str, count: int) -> list[str]:
    lines = [
        _("%(kind)s名册导出，共 %(n)d 条。") % {"kind": kind_label(kind), "n": count},
        _("身份证号、手机号码和联系电话均已脱敏，只显示前后几位；本文件不含完整号码。"),
    ]
    if kind == "enterprises":
        lines.append(
            _(
                "本企业名册可直接导入其他园区：导入时“联系电话(已脱敏)”一列会被忽略，"
                "其余各列与导入模板相同。"
            )
        )
    else:
        lines.append(
            _(
                "本人员名册因号码已脱敏，不能再导入（无法核对身份证号是否重复）；"
                "需要导入时，请下载导入模板并填写完整号码。"
            )
        )
    return lines
