"""Row validation: each roster row cleaned like the forms and the API clean, duplicates
within the file and against the zone."""

from collections.abc import Iterable

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gaoxin.core.cleaning import Cleaned
from gaoxin.core.models import Zone
from gaoxin.core.validators import normalize_uscc
from gaoxin.registry import selectors
from gaoxin.registry.domain import clean_enterprise, clean_person
from gaoxin.registry.imports.columns import Column
from gaoxin.registry.imports.results import _Collector
from gaoxin.registry.models import Enterprise, Person


class _Validator:
    """Turns one row's raw values into model values, reporting by column header."""

    kind: str
    model: type

    def __init__(self, *, zone: Zone, cols: list[Column], report: _Collector):
        self.zone = zone
        self.report = report
        self.header_of = {c.key: c.header for c in cols}
        self.pending: list[tuple[int, dict, list[str]]] = []

    def column(self, key: str) -> str:
        return self.header_of.get(key, "")

    def add(self, row: int, raw: dict, pre_errors: dict[str, str]) -> None:
        raise NotImplementedError

    def check_database(self) -> None:
        raise NotImplementedError

    def keep(self, row: int, values: dict, warnings: list[str]) -> None:
        # Once any row failed nothing will be written: stop holding values.
        if not self.report.has_errors:
            self.pending.append((row, values, warnings))
        else:
            self.pending.clear()

    def report_cleaned(self, row: int, cleaned: Cleaned, skip: set[str]) -> bool:
        for key, message in cleaned.errors.items():
            if key not in skip:
                self.report.error(row, self.column(key), message)
        for message in cleaned.warnings:
            self.report.warning(row, "", message)
        return not cleaned.errors


class _EnterpriseValidator(_Validator):
    kind = "enterprises"
    model = Enterprise

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.uscc_rows: dict[str, int] = {}

    def add(self, row, raw, pre_errors):
        for key, message in pre_errors.items():
            self.report.error(row, self.column(key), message)
            raw[key] = ""
        cleaned = clean_enterprise(raw)
        ok = self.report_cleaned(row, cleaned, skip=set(pre_errors)) and not pre_errors
        uscc = cleaned.values.get("uscc")
        if uscc and "uscc" not in cleaned.errors:
            first = self.uscc_rows.setdefault(uscc, row)
            if first != row:
                self.report.error(
                    row, self.column("uscc"), _("与第 %(row)d 行重复") % {"row": first}
                )
                ok = False
        if ok:
            self.keep(row, cleaned.values, cleaned.warnings)

    def check_database(self):
        taken = selectors.enterprise_credit_codes_taken(zone_id=self.zone.pk, codes=self.uscc_rows)
        for uscc in sorted(taken, key=self.uscc_rows.get):
            self.report.error(
                self.uscc_rows[uscc], self.column("uscc"), selectors.credit_code_taken_message()
            )


_clean_cache: dict[tuple, Cleaned] = {}


def _cached_clean(key: tuple, raw: dict) -> Cleaned:
    """clean_person on fields that repeat across a roster and clean deterministically."""
    key = (get_language(), *key)  # messages are cached in the language they were made in
    cleaned = _clean_cache.get(key)
    if cleaned is None:
        if len(_clean_cache) > 20_000:  # bounded: it lives as long as the process
            _clean_cache.clear()
        cleaned = _clean_cache[key] = clean_person(raw, partial=True)
    return cleaned


def clean_person_row(raw: dict, skip: Iterable[str]) -> tuple[dict, dict[str, str], list[str]]:
    """(values, errors by key, warnings) of one roster row; no database access.

    Field by field with `clean_person(partial=True)`: names and choices repeat
    across a roster and their cleaning (pinyin, label look-ups) is most of the
    cost, so those results are cached; identifiers are encrypted per row. If
    clean_person ever gains cross-field rules, clean the whole row here instead.
    Runs in worker processes for large files, so it must stay pure.
    """
    parts = [
        _cached_clean(("name", raw["name"]), {"name": raw["name"]}),
        _cached_clean(
            ("choices", raw["role"], raw["job_type"]),
            {"role": raw["role"], "job_type": raw["job_type"]},
        ),
    ]
    for key in ("id_number", "phone"):
        if raw[key] and key not in skip:
            parts.append(clean_person({key: raw[key]}, partial=True))
    values: dict = {}
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for cleaned in parts:
        values.update(cleaned.values)
        errors.update({k: str(m) for k, m in cleaned.errors.items() if k not in skip})
        warnings.extend(str(w) for w in cleaned.warnings)
    return values, errors, warnings


def _clean_people_chunk(chunk: list[tuple[int, dict, dict]]) -> list[tuple]:
    """Worker-process entry point: clean a chunk of rows, keep their order."""
    return [(row, raw, pre, *clean_person_row(raw, pre)) for row, raw, pre in chunk]


class _PersonValidator(_Validator):
    kind = "people"
    model = Person

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.id_rows: dict[str, int] = {}
        self.phone_rows: dict[str, int] = {}
        self._employers: dict[str, int] | None = None

    def employer_id(self, row: int, code: str) -> int | None:
        if self._employers is None:
            self._employers = dict(
                Enterprise.objects.filter(zone_id=self.zone.pk).values_list("uscc", "id")
            )
        found = self._employers.get(normalize_uscc(code))
        if found is None:
            self.report.error(
                row,
                self.column("employer_uscc"),
                _("本园区没有统一社会信用代码为 %(code)s 的企业，请先登记或导入该企业")
                % {"code": code},
            )
        return found

    def add(self, row, raw, pre_errors):
        self.accept(row, raw, pre_errors, *clean_person_row(raw, pre_errors))

    def accept(self, row, raw, pre_errors, values, errors, warnings) -> None:
        """Report a cleaned row, resolve its employer and check in-file duplicates."""
        for key, message in (pre_errors | errors).items():
            self.report.error(row, self.column(key), message)
        for message in warnings:
            self.report.warning(row, "", message)
        ok = not pre_errors and not errors
        if raw["employer_uscc"] and "employer_uscc" not in pre_errors:
            values["employer_id"] = employer = self.employer_id(row, raw["employer_uscc"])
            ok = ok and employer is not None
        for hash_key, rows, key in (
            ("id_number_hash", self.id_rows, "id_number"),
            ("phone_hash", self.phone_rows, "phone"),
        ):
            digest = values.get(hash_key)
            if digest:
                first = rows.setdefault(digest, row)
                if first != row:
                    self.report.error(
                        row, self.column(key), _("与第 %(row)d 行重复") % {"row": first}
                    )
                    ok = False
        if ok:
            self.keep(row, values, warnings)

    def check_database(self):
        """One pass over the zone's blind indexes: memory grows with the file, not the zone."""
        if not self.id_rows and not self.phone_rows:
            return
        existing = (
            Person.objects.filter(zone_id=self.zone.pk)
            .values_list("id_number_hash", "phone_hash")
            .iterator(chunk_size=10_000)
        )
        for id_hash, phone_hash in existing:
            if id_hash and id_hash in self.id_rows:
                self.report.error(
                    self.id_rows[id_hash],
                    self.column("id_number"),
                    selectors.id_number_taken_message(),
                )
            if phone_hash and phone_hash in self.phone_rows:
                self.report.error(
                    self.phone_rows[phone_hash],
                    self.column("phone"),
                    selectors.phone_taken_message(),
                )
