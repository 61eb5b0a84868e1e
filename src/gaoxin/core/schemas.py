"""API shapes every router shares (ids, days, moments, pages, errors) and zones, tokens."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from gaoxin.core.cleaning import MAX_DAY, MIN_DAY, day_in_range, moment_in_range

# Ids the database can hold: larger numbers would overflow SQLite/PostgreSQL
# integers and fail as a server error instead of "not found".
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _out_of_range() -> PydanticCustomError:
    return PydanticCustomError(
        "out_of_range",
        "must be between {min} and {max}",
        {"min": MIN_DAY.isoformat(), "max": MAX_DAY.isoformat()},
    )


def _check_day(value: dt.date) -> dt.date:
    if not day_in_range(value):
        raise _out_of_range()
    return value


def _check_moment(value: dt.datetime) -> dt.datetime:
    if not moment_in_range(value):
        raise _out_of_range()
    return value


_RANGE = f"{MIN_DAY.isoformat()} 至 {MAX_DAY.isoformat()}"
Day = Annotated[dt.date, AfterValidator(_check_day), Field(description=f"日期（{_RANGE}）")]
Moment = Annotated[
    dt.datetime,
    AfterValidator(_check_moment),
    Field(description=f"时间，ISO 8601；无时区时按北京时间（{_RANGE}）"),
]

MAX_OFFSET = 10**9
MAX_LIMIT = 500


class ErrorOut(Schema):
    """Every refusal: a stable code, a Chinese message, and per-field messages."""

    code: str = Field(..., description="稳定的错误代码，如 invalid、not_found")
    message: str = Field(..., description="中文说明")
    fields: dict[str, str] = Field(..., description="字段 → 该字段的问题（无则为 {}）")


class PageIn(Schema):
    limit: int = Field(100, ge=1, description=f"每页条数（超过 {MAX_LIMIT} 按 {MAX_LIMIT} 计）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=200)


class TokenOut(Schema):
    token: str
    expires_in: int


class TokensRevokedOut(Schema):
    revoked: int = Field(..., description="撤销的令牌数")


class ZoneOut(Schema):
    id: int
    code: str
    name: str
    province: str
    city: str
