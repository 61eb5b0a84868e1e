"""Registry routes: enterprises, people, departments. Thin: parse → service/selector."""

from contextlib import contextmanager

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from gaoxin.core.api import Pages
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.schemas import Id
from gaoxin.core.tenancy import request_zone
from gaoxin.registry import selectors, services
from gaoxin.registry.schemas import (
    DepartmentOut,
    EnterpriseFilter,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonSearchIn,
    RevealIn,
    RevealOut,
)

router = Router()


@contextmanager
def _api_field_names(renames: dict[str, str]):
    """Services name errors after model fields; the API client sent other names."""
    try:
        yield
    except InvalidInput as exc:
        exc.fields = {renames.get(key, key): msg for key, msg in exc.fields.items()}
        raise


def _refuse_nulls(data: dict, fields: dict[str, str]) -> dict:
    """PATCH: null for a field that cannot be empty is an error, not a reset to its default."""
    errors = {key: message for key, message in fields.items() if key in data and data[key] is None}
    if errors:
        raise InvalidInput(errors)
    return data


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表")
@paginate(Pages)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilter]):
    return selectors.enterprises_for_user(
        user=request.user,
        zone_id=filters.zone_id,
        q=filters.q,
        industry=filters.industry,
        is_new_economy=filters.is_new_economy,
    )


@router.post("/enterprises", response={201: EnterpriseOut}, summary="新增企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return Status(201, services.enterprise_create(actor=request.user, zone=zone, data=data))


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)


@router.patch("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    data = _refuse_nulls(
        payload.dict(exclude_unset=True), {"is_new_economy": _("请填写“是”或“否”")}
    )
    return services.enterprise_update(actor=request.user, enterprise=enterprise, data=data)


@router.delete("/enterprises/{enterprise_id}", response={204: None}, summary="删除企业")
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


@router.get("/people", response=list[PersonOut], summary="人员列表（证件号、手机号已脱敏）")
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


@router.post(
    "/people/search",
    response=list[PersonOut],
    summary="查询人员（条件在请求体中，可用完整身份证号或手机号）",
)
@paginate(Pages)
def person_search(request: HttpRequest, payload: PersonSearchIn):
    """The same list as GET /people, with the conditions in the body, where a
    whole identifier stays out of URLs and logs. Writes nothing."""
    return _people(request, payload)


@router.post("/people", response={201: PersonOut}, summary="新增人员")
def person_create(request: HttpRequest, payload: PersonIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    with _api_field_names(EMPLOYER_FIELD):
        person = services.person_create(actor=request.user, zone=zone, data=data)
    return Status(201, person)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情（已脱敏）")
def person_detail(request: HttpRequest, person_id: int):
    return selectors.person_get(user=request.user, person_id=person_id)


@router.patch("/people/{person_id}", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch):
    person = selectors.person_get(user=request.user, person_id=person_id)
    with _api_field_names(EMPLOYER_FIELD):
        return services.person_update(
            actor=request.user,
            person=person,
            data=_refuse_nulls(payload.dict(exclude_unset=True), {"role": _("请选择身份")}),
        )


@router.delete("/people/{person_id}", response={204: None}, summary="删除人员")
def person_delete(request: HttpRequest, person_id: int):
    person = selectors.person_get(user=request.user, person_id=person_id)
    services.person_delete(actor=request.user, person=person)
    return Status(204, None)


@router.post(
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


@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(Pages)
def department_list(request: HttpRequest, zone_id: Id | None = None):
    return selectors.departments_for_user(user=request.user, zone_id=zone_id)


# Operation ids are part of the API contract, and these routes were first published
# from gaoxin.core.api: they keep the ids they had (Ninja would derive new ones from
# this module's name).
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = f"gaoxin_core_api_{_operation.view_func.__name__}"
