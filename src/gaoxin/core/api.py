"""Registry routes: zones, enterprises, people, departments. Thin: parse → service/selector."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from gaoxin.core import selectors, services
from gaoxin.core.errors import ApplicationError, InvalidInput, NotFound
from gaoxin.core.models import Zone
from gaoxin.core.schemas import (
    DepartmentOut,
    EnterpriseFilter,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
    RevealIn,
    RevealOut,
    TokenIn,
    TokenOut,
    ZoneOut,
)

auth_router = Router()
registry_router = Router()


class Pages(LimitOffsetPagination):
    """`?limit=&offset=` → `{"items": [...], "count": N}`; at most 500 per page."""

    class Input(LimitOffsetPagination.Input):
        pass

    max_limit = 500


@auth_router.post("/token", auth=None, response=TokenOut, summary="用户名密码换取令牌")
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise ApplicationError(_("用户名或密码错误"), code="bad_credentials", status=401)
    from django.conf import settings

    return {"token": services.api_token_issue(user=user), "expires_in": settings.GAOXIN_TOKEN_TTL}


def _target_zone(request: HttpRequest, zone_id: int | None) -> Zone:
    """The zone a new record goes into: the caller's own, or the one named by a cross-zone user."""
    user = request.user
    if zone_id is None:
        if user.zone_id is None:
            raise InvalidInput({"zone_id": _("跨园区账号新建记录时必须指定园区")})
        zone_id = user.zone_id
    zone = selectors.zones_for_user(user=user).filter(pk=zone_id).first()
    if zone is None:
        raise InvalidInput({"zone_id": _("园区不存在或无权操作")})
    return zone


@registry_router.get("/zones", response=list[ZoneOut], summary="园区列表")
@paginate(Pages)
def zone_list(request: HttpRequest):
    return selectors.zones_for_user(user=request.user)


@registry_router.get("/zones/{zone_id}", response=ZoneOut, summary="园区详情")
def zone_detail(request: HttpRequest, zone_id: int):
    zone = selectors.zones_for_user(user=request.user).filter(pk=zone_id).first()
    if zone is None:
        raise NotFound()
    return zone


@registry_router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表")
@paginate(Pages)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilter]):
    return selectors.enterprises_for_user(
        user=request.user, zone_id=filters.zone_id, q=filters.q,
        industry=filters.industry, is_new_economy=filters.is_new_economy,
    )  # fmt: skip


@registry_router.post("/enterprises", response={201: EnterpriseOut}, summary="新增企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    zone = _target_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return 201, services.enterprise_create(actor=request.user, zone=zone, data=data)


@registry_router.get("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)


@registry_router.patch("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    data = payload.dict(exclude_unset=True)
    return services.enterprise_update(actor=request.user, enterprise=enterprise, data=data)


@registry_router.delete("/enterprises/{enterprise_id}", response={204: None}, summary="删除企业")
def enterprise_delete(request: HttpRequest, enterprise_id: int):
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    services.enterprise_delete(actor=request.user, enterprise=enterprise)
    return 204, None


@registry_router.get("/people", response=list[PersonOut], summary="人员列表（证件号、手机号已脱敏）")
@paginate(Pages)
def person_list(request: HttpRequest, filters: Query[PersonFilter]):
    return selectors.people_for_user(
        user=request.user, zone_id=filters.zone_id, q=filters.q,
        employer_id=filters.employer_id, role=filters.role, job_type=filters.job_type,
    )  # fmt: skip


@registry_router.post("/people", response={201: PersonOut}, summary="新增人员")
def person_create(request: HttpRequest, payload: PersonIn):
    zone = _target_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return 201, services.person_create(actor=request.user, zone=zone, data=data)


@registry_router.get("/people/{person_id}", response=PersonOut, summary="人员详情（已脱敏）")
def person_detail(request: HttpRequest, person_id: int):
    return selectors.person_get(user=request.user, person_id=person_id)


@registry_router.patch("/people/{person_id}", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch):
    person = selectors.person_get(user=request.user, person_id=person_id)
    return services.person_update(actor=request.user, person=person,
                                  data=payload.dict(exclude_unset=True))  # fmt: skip


@registry_router.delete("/people/{person_id}", response={204: None}, summary="删除人员")
def person_delete(request: HttpRequest, person_id: int):
    person = selectors.person_get(user=request.user, person_id=person_id)
    services.person_delete(actor=request.user, person=person)
    return 204, None


@registry_router.post("/people/{person_id}/reveal", response=RevealOut,
                      summary="查看完整身份证号和手机号（记入审计）")  # fmt: skip
def person_reveal(request: HttpRequest, person_id: int, payload: RevealIn | None = None):
    person = selectors.person_get(user=request.user, person_id=person_id)
    reason = payload.reason if payload else ""
    plain = services.person_reveal(actor=request.user, person=person, reason=reason)
    return {"id": person.pk, **plain}


@registry_router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(Pages)
def department_list(request: HttpRequest, zone_id: int | None = None):
    return selectors.departments_for_user(user=request.user, zone_id=zone_id)
