"""API shapes for the registry. Identifiers only ever leave masked, except via reveal."""

import datetime as dt
from typing import Literal

from ninja import Field, FilterSchema, Schema

from gaoxin.core.cleaning import LabelledSchema
from gaoxin.core.schemas import Id


class EnterpriseIn(LabelledSchema):
    zone_id: Id | None = Field(None, description="跨园区账号必填；本园区账号可省略")
    name: str = Field(..., title="企业名称")
    uscc: str = Field(
        ..., title="统一社会信用代码", description="统一社会信用代码（18 位，GB 32100-2015）"
    )
    industry: str = ""
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    is_new_economy: bool = False


class EnterprisePatch(Schema):
    name: str | None = None
    uscc: str | None = None
    industry: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    is_new_economy: bool | None = None


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    name: str
    uscc: str
    industry: str
    address: str
    contact_name: str
    contact_phone: str = Field(..., alias="contact_phone_masked")
    is_new_economy: bool


class EnterpriseFilter(FilterSchema):
    zone_id: Id | None = None
    q: str = Field("", description="名称、拼音首字母或统一社会信用代码")
    industry: str = ""
    is_new_economy: bool | None = None


class PersonIn(LabelledSchema):
    zone_id: Id | None = Field(None, description="跨园区账号必填；本园区账号可省略")
    name: str = Field(..., title="姓名")
    id_number: str = Field("", description="居民身份证号（18 位，GB 11643-1999）")
    phone: str = Field("", description="手机号码")
    role: str = "worker"
    job_type: str = ""
    employer_id: Id | None = None


class PersonPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    role: str | None = None
    job_type: str | None = None
    employer_id: Id | None = None


class PersonOut(Schema):
    @staticmethod
    def resolve_age(obj) -> int | None:
        born = getattr(obj, "birth_date", None)
        if not born:
            return None
        today = dt.date.today()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    id: int
    zone_id: int
    name: str
    id_number: str = Field(..., alias="id_number_masked")
    phone: str = Field(..., alias="phone_masked")
    gender: str
    age: int | None = Field(
        None, description="周岁（不返回出生日期：它与脱敏证件号合起来几乎还原全号）"
    )
    role: str
    job_type: str
    employer_id: int | None
    warnings: list[str] = []


class PersonFilter(FilterSchema):
    zone_id: Id | None = None
    q: str = Field(
        "", description="姓名、拼音或首字母（如 fls）；完整手机号或身份证号请用 POST /people/search"
    )
    employer_id: Id | None = None
    role: str = ""
    job_type: str = ""


class PersonSearchIn(Schema):
    """POST /people/search: PersonFilter's conditions in the body."""

    zone_id: Id | None = None
    q: str = Field("", max_length=100, description="姓名、拼音或首字母、完整手机号或身份证号")
    employer_id: Id | None = None
    role: str = ""
    job_type: str = ""


class RevealIn(Schema):
    field: Literal["id_number", "phone"] = Field(
        ..., description="要查看的一项：id_number（身份证号）或 phone（手机号）"
    )
    reason: str = Field(..., min_length=1, max_length=200, description="查看原因（必填），记入审计")


class RevealOut(Schema):
    id: int
    field: str
    value: str = Field(..., description="完整的身份证号或手机号；未登记时为空")


class DepartmentOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    contact_name: str
