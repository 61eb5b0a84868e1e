"""The REST API under /api/v1/: one router per program, one error format.

Errors are always JSON `{"code", "message", "fields"}` with a 4xx status —
including what Ninja and Django would otherwise answer in English or HTML:
bodies that are not JSON, unknown routes, wrong methods, pydantic errors.
"""

import functools
import json
import logging
import re
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from gaoxin.activities.api import router as activities_router
from gaoxin.cases.api import router as cases_router
from gaoxin.core import cleaning
from gaoxin.core.api import auth_router, zones_router
from gaoxin.core.attachments.api import router as attachments_router
from gaoxin.core.auth import api_auth
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.schemas import ErrorOut
from gaoxin.party.api import router as party_router
from gaoxin.registry.api import router as registry_router
from gaoxin.stations.api import router as stations_router
from gaoxin.welfare.api import router as welfare_router

logger = logging.getLogger("gaoxin.api")

# NUL cannot be stored by PostgreSQL and a lone surrogate cannot be encoded as
# UTF-8: both would fail deep in the database layer, so they stop at the door.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _unstorable_fields(value: Any, path: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            found[path or "_"] = _("含有无法保存的字符（空字符或无效的 Unicode 字符）")
    elif isinstance(value, dict):
        for key, item in value.items():
            found.update(_unstorable_fields(item, f"{path}.{key}" if path else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(_unstorable_fields(item, f"{path}.{index}" if path else str(index)))
    return found


class StrictParser(Parser):
    """JSON bodies and query strings, refusing text the database could not store."""

    def parse_body(self, request: HttpRequest):
        if request.content_type == "multipart/form-data" and _empty_form(request):
            return {}  # a POST with no fields at all (what test clients send for "no body")
        if _unsupported_media_type(request):
            raise ApplicationError(
                _("请求内容应为 JSON，请使用 Content-Type: application/json（UTF-8 编码）"),
                code="unsupported_media_type",
                status=415,
                fields={"content_type": request.META.get("CONTENT_TYPE", "")},
            )
        try:  # decoded as UTF-8 first: json.loads(bytes) would also guess UTF-16 and UTF-32
            data = json.loads(request.body.decode("utf-8"))
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError
            raise ApplicationError(
                _("请求内容不是有效的 JSON（应为 UTF-8 编码的 JSON 对象）"), code="bad_json"
            ) from None
        if not isinstance(data, dict):  # every body is an object; false, [] or 3 is not "absent"
            raise InvalidInput({"_": _("请求内容应为 JSON 对象（如 {}），或不提交请求内容")})
        bad = _unstorable_fields(data)
        if bad:
            raise InvalidInput(bad)
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        result = super().parse_querydict(data, list_fields, request)
        bad = _unstorable_fields(result)
        if bad:
            raise InvalidInput(bad)
        return result


class Utf8JSONRenderer(JSONRenderer):
    """JSON as UTF-8 text (用户, not \\u7528\\u6237): readable in logs and curl, and smaller."""

    json_dumps_params = {"ensure_ascii": False}


class GaoxinAPI(NinjaAPI):
    """NinjaAPI whose every URL answers in the error format, even outside operations,
    and whose document lists those error answers for every operation."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return _document_errors(schema)

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if not getattr(pattern.callback, "json_fallbacks", False):
                pattern.callback = _json_fallbacks(pattern.callback)
        patterns.append(re_path(r"^.*$", _unknown_route, name="unknown-route"))
        return patterns, app_name, namespace


api = GaoxinAPI(
    title="Gaoxin API",
    version="1",
    description="高新园区运营平台接口。认证：POST /api/v1/auth/token 获取令牌，之后使用 Authorization: Bearer <token>。"
    "错误一律为 JSON：{code, message, fields}。列表为 {items, count}，用 limit（最多 500）和 offset 翻页。",
    auth=api_auth,
    urls_namespace="api-v1",
    parser=StrictParser(),
    renderer=Utf8JSONRenderer(),
)


# The error answers every operation can give, documented with the one ErrorOut shape.
_ERROR_STATUSES = {
    400: "请求无法解析（如请求内容不是有效的 JSON）",
    401: "未登录或令牌无效",
    403: "没有执行此操作的权限",
    404: "记录不存在（或属于其他园区）",
    409: "与现有数据冲突（如已核销、仍被引用）",
    413: "请求内容过大",
    415: "请求内容不是 application/json（UTF-8）",
    422: "提交的数据有误；fields 按字段说明",
    429: "请求过于频繁或登录已锁定",
}
_READ_ERRORS = (400, 401, 403, 404, 422, 429)


def _document_errors(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema()
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = [*_READ_ERRORS, *(() if method in ("get", "head") else (409,))]
            if "requestBody" in operation:
                statuses += [413, 415]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(
                    status,
                    {
                        "description": _ERROR_STATUSES[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return schema


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": str(message), "fields": fields or {}}, status=status
    )


def _not_found(request):
    return _error(request, 404, "not_found", _("未找到该记录"))


def _method_not_allowed(request, allowed: str):
    response = _error(
        request,
        405,
        "method_not_allowed",
        _("该地址不支持 %(method)s 请求") % {"method": request.method},
        {"allowed": allowed},
    )
    response["Allow"] = allowed
    return response


def _unsupported_media_type(request) -> bool:
    """A body that is not UTF-8 JSON (text/plain, a form, UTF-16 …): refused with 415.
    Only operations that read a body look (a body sent to one that takes none is ignored)."""
    charset = (request.content_params or {}).get("charset", "utf-8").strip().lower()
    return request.content_type != "application/json" or charset not in ("utf-8", "utf8")


def _empty_form(request) -> bool:
    boundary = (request.content_params or {}).get("boundary", "")
    try:
        return bool(boundary) and request.body.strip() == f"--{boundary}--".encode()
    except RequestDataTooBig:
        return False


def _json_fallbacks(view):
    """Turn Ninja's plain-text 405 and a raised Http404 (e.g. the API root) into JSON."""

    def convert(request, response):
        if isinstance(response, HttpResponseNotAllowed):
            return _method_not_allowed(request, response["Allow"])
        return response

    if iscoroutinefunction(view):

        async def async_wrapper(request, *args, **kwargs):
            try:
                return convert(request, await view(request, *args, **kwargs))
            except Http404:
                return _not_found(request)

        wrapper = markcoroutinefunction(functools.wraps(view)(async_wrapper))
    else:

        def wrapper(request, *args, **kwargs):
            try:
                return convert(request, view(request, *args, **kwargs))
            except Http404:
                return _not_found(request)

        wrapper = functools.wraps(view)(wrapper)
    wrapper.csrf_exempt = True  # Ninja checks CSRF itself, for session-authenticated calls
    wrapper.json_fallbacks = True
    return wrapper


@csrf_exempt
def _unknown_route(request, *args, **kwargs):
    return _error(request, 404, "not_found", _("接口地址不存在，请查看 /api/v1/openapi.json"))


# Services raise NotFound()/Forbidden() without a message; say what happened.
_GENERIC_MESSAGE = "请求无法处理"
_DEFAULT_MESSAGES = {
    401: lambda: _("请先登录或提供有效的令牌"),
    403: lambda: _("您没有执行此操作的权限"),
    404: lambda: _("未找到该记录"),
}


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    message = exc.message
    if message in (_GENERIC_MESSAGE, _(_GENERIC_MESSAGE)) and exc.status in _DEFAULT_MESSAGES:
        message = _DEFAULT_MESSAGES[exc.status]()
    return _error(request, exc.status, exc.code, message, exc.fields)


_IGNORED_LOC = {"body", "query", "path", "form", "file", "payload", "filters", "ninja_pagination"}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in _IGNORED_LOC]
        key = ".".join(loc) or "_"
        fields.setdefault(key, _translate_pydantic(err))
    return _error(request, 422, "invalid", _("提交的数据有误，请按提示修改"), fields)


def _translate_pydantic(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    label = ctx.get("label")  # Field(title=…) of a cleaning.LabelledSchema: the page's words
    if label and kind == "missing":
        return cleaning.required_message(_(label))
    if label and kind == "string_too_long":
        return cleaning.too_long_message(_(label), ctx.get("max_length", ""))
    if label and kind == "out_of_range":
        return cleaning.day_range_message(_(label))
    if kind == "missing":
        return _("必填")
    if kind in ("greater_than_equal", "greater_than"):
        return _("不能小于 %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("不能大于 %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind.startswith(("int", "float", "decimal")):
        return _("应为数字")
    if kind.startswith("bool"):
        return _("应为 true 或 false")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("不能少于 %(n)s 个字") % {"n": ctx.get("min_length", "")}
    if kind.startswith("string"):
        return _("应为文字")
    if kind == "out_of_range":
        return _("应在 %(min)s 至 %(max)s 之间") % {"min": ctx.get("min"), "max": ctx.get("max")}
    if kind.startswith(("date", "time")):
        return _("日期格式应为 YYYY-MM-DD")
    if kind.startswith(("dict", "model")):
        return _("应为 JSON 对象")
    if kind.startswith(("list", "tuple")):
        return _("应为列表")
    if kind.startswith("json"):
        return _("不是有效的 JSON")
    if kind in ("enum", "literal_error"):
        return _("不是可选值")
    return _("格式不正确")


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    fields = (
        {k: "；".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    )
    return _error(request, 422, "invalid", "；".join(exc.messages), fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", _("请先登录或提供有效的令牌"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", _("您没有执行此操作的权限"))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _not_found(request)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # Ninja wraps parser errors in HttpError(400); ours carry the real reason.
    if isinstance(exc.__cause__, ApplicationError):
        return on_application_error(request, exc.__cause__)
    messages = {
        400: (_("请求无法解析"), "bad_request"),
        401: (_("请先登录或提供有效的令牌"), "unauthenticated"),
        403: (_("您没有执行此操作的权限"), "forbidden"),
        429: (_("请求过于频繁，请稍后再试"), "throttled"),
    }
    message, code = messages.get(exc.status_code, (_("请求无法处理"), "http_error"))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(ProtectedError)
@api.exception_handler(RestrictedError)
def on_still_referenced(request, exc):
    """Deleting a record other programs still point at (PROTECT/RESTRICT foreign keys)."""
    return _error(request, 409, "in_use", _("该记录仍被其他数据引用，无法删除"))


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request, exc):
    return _error(request, 413, "too_large", _("请求内容过大"))


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request, exc):
    return _error(request, 400, "bad_request", _("请求无法解析"))


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    """A bug is still answered in the error format; the traceback goes to the log."""
    logger.exception("unhandled error in %s %s", request.method, request.path)
    return _error(request, 500, "server_error", _("服务器内部错误，请稍后再试或联系管理员"))


api.add_router("/auth", auth_router, tags=["认证"])
api.add_router("/", "gaoxin.core.api_workers.router", tags=["认证"])
api.add_router("/", zones_router, tags=["基础数据"])
api.add_router("/", registry_router, tags=["基础数据"])
api.add_router("/", attachments_router, tags=["附件"])
api.add_router("/", stations_router, tags=["暖新驿站"])
api.add_router("/", welfare_router, tags=["关爱福利"])
api.add_router("/", activities_router, tags=["关爱活动"])
api.add_router("/", cases_router, tags=["诉求与帮扶"])
api.add_router("/", party_router, tags=["党建"])
