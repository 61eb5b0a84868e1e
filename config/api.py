"""The REST API under /api/v1/: one router per program, one error format.

Errors are always JSON `{"code", "message", "fields"}` with a 4xx status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gaoxin.core.api import auth_router, registry_router
from gaoxin.core.auth import api_auth
from gaoxin.core.errors import ApplicationError

api = NinjaAPI(
    title="Gaoxin API",
    version="1",
    description="高新园区运营平台接口。认证：POST /api/v1/auth/token 获取令牌，之后使用 Authorization: Bearer <token>。",
    auth=api_auth,
    urls_namespace="api-v1",
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        key = ".".join(loc) or "_"
        fields.setdefault(key, _translate_pydantic(err))
    return _error(request, 422, "invalid", _("提交的数据有误，请按提示修改"), fields)


def _translate_pydantic(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return _("必填")
    if kind.startswith(("int", "float")):
        return _("应为数字")
    if kind.startswith("bool"):
        return _("应为 true 或 false")
    if kind.startswith("string_too_long"):
        return _("太长")
    if kind.startswith("json"):
        return _("不是有效的 JSON")
    return _("格式不正确")


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    fields = {k: "；".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    return _error(request, 422, "invalid", "；".join(exc.messages), fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", _("请先登录或提供有效的令牌"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", _("您没有执行此操作的权限"))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("未找到该记录"))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/auth", auth_router, tags=["认证"])
api.add_router("/", registry_router, tags=["基础数据"])
