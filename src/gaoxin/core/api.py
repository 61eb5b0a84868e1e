"""Registry routes: zones, enterprises, people, departments. Thin: parse → service/selector."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import logout as django_logout
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gaoxin.core import selectors, services
from gaoxin.core.auth import lockout_message, login_locked
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.schemas import (
    MAX_LIMIT,
    DepartmentOut,
    EnterpriseFilter,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    Id,
    PageIn,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonSearchIn,
    RevealIn,
    RevealOut,
    TokenIn,
    TokenOut,
    TokensRevokedOut,
    ZoneOut,
)
from gaoxin.core.tenancy import request_zone

auth_router = Router()
registry_router = Router()


class Pages(LimitOffsetPagination):
    """`?limit=&offset=` → `{"items": [...], "count": N}`; at most MAX_LIMIT per page."""

    Input = PageIn

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


@contextmanager
def _api_field_names(renames: dict[str, str]):
    """Services name errors after model fields; the API client sent other names."""
    try:
        yield
    except InvalidInput as exc:
        exc.fields = {renames.get(key, key): msg for key, msg in exc.fields.items()}
        raise


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


def _refuse_nulls(data: dict, fields: dict[str, str]) -> dict:
    """PATCH: null for a field that cannot be empty is an error, not a reset to its default."""
    errors = {key: message for key, message in fields.items() if key in data and data[key] is None}
    if errors:
        raise InvalidInput(errors)
    return data


@registry_router.get("/zones", response=list[ZoneOut], summary="园区列表")
@paginate(Pages)
def zone_list(request: HttpRequest):
    return selectors.zones_for_user(user=request.user)


@registry_router.get("/zones/{zone_id}", response=ZoneOut, summary="园区详情")
def zone_detail(request: HttpRequest, zone_id: int):
    return request_zone(request, zone_id)


@registry_router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表")
@paginate(Pages)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilter]):
    return selectors.enterprises_for_user(
        user=request.user,
        zone_id=filters.zone_id,
        q=filters.q,
        industry=filters.industry,
        is_new_economy=filters.is_new_economy,
    )


@registry_router.post("/enterprises", response={201: EnterpriseOut}, summary="新增企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return Status(201, services.enterprise_create(actor=request.user, zone=zone, data=data))


@registry_router.get("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)


@registry_router.patch("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    data = _refuse_nulls(
        payload.dict(exclude_unset=True), {"is_new_economy": _("请填写“是”或“否”")}
    )
    return services.enterprise_update(actor=request.user, enterprise=enterprise, data=data)


@registry_router.delete("/enterprises/{enterprise_id}", response={204: None}, summary="删除企业")
def enterprise_delete(request: HttpRequest, enterprise_id: int):
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    services.enterprise_delete(actor=request.user, enterprise=enterprise)
    return Status(204, None)


EMPLOYER_FIELD = {"employer": "employer_id"}


def _people(request: HttpRequest, filters: PersonFilter | PersonSearchIn):
    return selectors.people_for_user(
        user=request.user,
        zone_id=filters.zone_id,
        q=filters.q,
        employer_id=filters.employer_id,
        role=filters.role,
        job_type=filters.job_type,
    )


@registry_router.get(
    "/people", response=list[PersonOut], summary="人员列表（证件号、手机号已脱敏）"
)
@paginate(Pages)
def person_list(request: HttpRequest, filters: Query[PersonFilter]):
    """A whole ID or phone number in `q` is refused: a URL is written to access
    logs and sent on as Referer. Search by one with POST /people/search."""
    if selectors.full_identifier(filters.q):
        raise ApplicationError(
            _(
                "完整的身份证号或手机号不能放在网址里（会被记入访问日志）。"
                "请改用 POST /api/v1/people/search，在请求体中提交 q。"
            ),
            code="identifier_in_url",
            status=422,
            fields={"q": _("请改用 POST 查询")},
        )
    return _people(request, filters)


@registry_router.post(
    "/people/search",
    response=list[PersonOut],
    summary="查询人员（条件在请求体中，可用完整身份证号或手机号）",
)
@paginate(Pages)
def person_search(request: HttpRequest, payload: PersonSearchIn):
    """The same list as GET /people, with the conditions in the body, where a
    whole identifier stays out of URLs and logs. Writes nothing."""
    return _people(request, payload)


@registry_router.post("/people", response={201: PersonOut}, summary="新增人员")
def person_create(request: HttpRequest, payload: PersonIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    with _api_field_names(EMPLOYER_FIELD):
        person = services.person_create(actor=request.user, zone=zone, data=data)
    return Status(201, person)


@registry_router.get("/people/{person_id}", response=PersonOut, summary="人员详情（已脱敏）")
def person_detail(request: HttpRequest, person_id: int):
    return selectors.person_get(user=request.user, person_id=person_id)


@registry_router.patch("/people/{person_id}", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch):
    person = selectors.person_get(user=request.user, person_id=person_id)
    with _api_field_names(EMPLOYER_FIELD):
        return services.person_update(
            actor=request.user,
            person=person,
            data=_refuse_nulls(payload.dict(exclude_unset=True), {"role": _("请选择身份")}),
        )


@registry_router.delete("/people/{person_id}", response={204: None}, summary="删除人员")
def person_delete(request: HttpRequest, person_id: int):
    person = selectors.person_get(user=request.user, person_id=person_id)
    services.person_delete(actor=request.user, person=person)
    return Status(204, None)


@registry_router.post(
    "/people/{person_id}/reveal",
    response=RevealOut,
    summary="查看完整身份证号或手机号（一次一项，须填原因，记入审计）",
)
def person_reveal(request: HttpRequest, person_id: int, payload: RevealIn):
    person = selectors.person_get(user=request.user, person_id=person_id)
    value = services.person_reveal(
        actor=request.user, person=person, field=payload.field, reason=payload.reason
    )
    return {"id": person.pk, "field": payload.field, "value": value}


@registry_router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(Pages)
def department_list(request: HttpRequest, zone_id: Id | None = None):
    return selectors.departments_for_user(user=request.user, zone_id=zone_id)
