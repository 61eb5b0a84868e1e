"""Routes of the platform: tokens and zones (enterprises, people, departments:
`gaoxin.registry.api`). Thin: parse → service/selector."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import logout as django_logout
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gaoxin.core import selectors, services
from gaoxin.core.auth import lockout_message, login_locked
from gaoxin.core.errors import ApplicationError
from gaoxin.core.schemas import MAX_LIMIT, PageIn, TokenIn, TokenOut, TokensRevokedOut, ZoneOut
from gaoxin.core.tenancy import request_zone

auth_router = Router()
zones_router = Router()


class Pages(LimitOffsetPagination):
    """`?limit=&offset=` → `{"items": [...], "count": N}`; at most MAX_LIMIT per page."""

    Input = PageIn

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


@auth_router.post("/token", auth=None, response=TokenOut, summary="用户名密码换取令牌")
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        if login_locked(payload.username, request):
            raise ApplicationError(lockout_message(), code="login_locked", status=429)
        raise ApplicationError(_("用户名或密码错误"), code="bad_credentials", status=401)
    return {"token": services.api_token_issue(user=user), "expires_in": settings.GAOXIN_TOKEN_TTL}


@auth_router.post("/logout", response={204: None}, summary="退出登录（撤销本次使用的令牌）")
def logout(request: HttpRequest):
    """The bearer token of this call stops working; a session caller is logged out."""
    token = getattr(request, "api_token", None)
    if token is not None:
        services.api_token_revoke(token=token)
    else:
        django_logout(request)
    return Status(204, None)


@auth_router.post(
    "/tokens/revoke-all", response=TokensRevokedOut, summary="撤销本账号的全部令牌（含本次使用的）"
)
def tokens_revoke_all(request: HttpRequest):
    return {"revoked": services.api_tokens_revoke_all(user=request.user, actor=request.user)}


@zones_router.get("/zones", response=list[ZoneOut], summary="园区列表")
@paginate(Pages)
def zone_list(request: HttpRequest):
    return selectors.zones_for_user(user=request.user)


@zones_router.get("/zones/{zone_id}", response=ZoneOut, summary="园区详情")
def zone_detail(request: HttpRequest, zone_id: int):
    return request_zone(request, zone_id)
