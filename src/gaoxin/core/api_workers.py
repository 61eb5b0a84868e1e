"""Worker account routes: who am I, and the PIN a worker logs in with by phone.

What the phone pages do for a worker's account, for integrators (a
mini-program): the same services and rules as the "我的签到" page's PIN form.
A worker registers on a first visit at a station (POST
/stations/{id}/checkins/register) and later exchanges phone + PIN for a token at
POST /auth/token.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gaoxin.core import auth, services
from gaoxin.core.errors import Forbidden

router = Router()


class PersonBrief(Schema):
    id: int
    zone_id: int
    name: str
    phone_masked: str
    job_type: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    zone_id: int | None
    roles: list[str]
    person: PersonBrief | None = Field(None, description="登记为劳动者时的人员信息（已脱敏）")
    has_pin: bool = Field(..., description="已设置登录密码（劳动者为 6 位数字密码）")
    pin_allowed: bool = Field(..., description="可以设置数字密码（仅劳动者账号）")


class PinIn(Schema):
    pin: str = Field(..., max_length=20, description="新的 6 位数字密码")
    current_pin: str = Field("", max_length=20, description="修改时必填：当前密码")


class PinOut(Schema):
    changed: bool = Field(..., description="false：首次设置；true：修改")
    token: str = Field(
        ..., description="新的接口令牌：修改密码后此前的令牌可能全部失效，请改用此令牌"
    )
    expires_in: int


def _me(user) -> dict:
    person = user.person if user.person_id else None
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "zone_id": user.zone_id,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "person": None
        if person is None
        else {
            "id": person.pk,
            "zone_id": person.zone_id,
            "name": person.name,
            "phone_masked": person.phone_masked,
            "job_type": person.job_type,
        },
        "has_pin": user.has_usable_password(),
        "pin_allowed": auth.pin_allowed(user),
    }


@router.get("/me", response=MeOut, summary="当前账号（劳动者：人员信息、是否已设置数字密码）")
def me(request: HttpRequest):
    return _me(request.user)


@router.post(
    "/auth/pin",
    response=PinOut,
    summary="设置或修改数字密码（劳动者；修改须提供当前密码，弱密码拒绝）",
)
def pin_set(request: HttpRequest, payload: PinIn):
    """As the "我的签到" page: only worker accounts; a change needs the current PIN
    (wrong ones count towards the login lockout). The page keeps its own session;
    the API answers with a fresh token for the caller to keep."""
    user = request.user
    if not auth.pin_allowed(user):
        raise Forbidden(
            _("只有劳动者账号可以设置数字密码；其他账号请使用园区分配的密码。"),
            code="pin_not_allowed",
        )
    had_pin = user.has_usable_password()
    services.user_pin_set(user=user, pin=payload.pin, current_pin=payload.current_pin, actor=user)
    token = services.api_token_issue(user=user)
    return {"changed": had_pin, "token": token, "expires_in": settings.GAOXIN_TOKEN_TTL}
