"""What an import reports: row errors and warnings, counts, at most MAX_ERRORS."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gaoxin.core.models import Zone
from gaoxin.registry.imports.columns import kind_label

MAX_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("第 %(row)d 行「%(column)s」：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    zone: Zone
    created: int = 0
    #: non-empty data rows read
    rows: int = 0
    #: rows with at least one error (errors beyond MAX_ERRORS are counted, not listed)
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed_rows

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def errors_truncated(self) -> bool:
        return len(self.errors) >= MAX_ERRORS


class _Collector:
    """Errors and warnings with a cap, plus the set of failing rows."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.failed: set[int] = set()

    def error(self, row: int, column: str, message: str) -> None:
        self.failed.add(row)
        if len(self.result.errors) < MAX_ERRORS:
            self.result.errors.append(RowError(row, column, str(message)))

    def warning(self, row: int, column: str, message: str) -> None:
        if len(self.result.warnings) < MAX_ERRORS:
            self.result.warnings.append(RowError(row, column, str(message)))

    @property
    def has_errors(self) -> bool:
        return bool(self.failed)
