"""One error family for services, mapped to HTTP in one place (config/api.py).

Every `code` an error can carry is declared: core's below (`Code`), each program's in
its `errors.py` (a `Code` TextChoices with a Chinese description), found like
`roles.py`. `declared_codes()` is the union; a test fails on an undeclared code, and
the README's "Error codes" table is checked against it.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    """Codes core and the API layer answer with, whichever program is called."""

    BAD_REQUEST = "bad_request", _("请求无法处理或无法解析")
    INVALID = "invalid", _("提交的数据有误：fields 逐项说明")
    NOT_FOUND = "not_found", _("记录或地址不存在（含其他园区的记录）")
    FORBIDDEN = "forbidden", _("没有执行此操作的权限")
    CONFLICT = "conflict", _("与当前数据冲突")
    UNAUTHENTICATED = "unauthenticated", _("未登录或令牌无效")
    BAD_TRANSITION = "bad_transition", _("当前状态不允许此操作（<entity>_transition）")
    STALE = "stale", _("记录刚被他人修改，请刷新后重试")
    DUPLICATE = "duplicate", _("已存在相同的记录")
    IN_USE = "in_use", _("记录仍被其他数据引用，无法删除")
    METHOD_NOT_ALLOWED = "method_not_allowed", _("该地址不支持此请求方法")
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", _("请求内容不是 UTF-8 JSON")
    BAD_JSON = "bad_json", _("请求内容不是有效的 JSON")
    TOO_LARGE = "too_large", _("请求内容过大")
    THROTTLED = "throttled", _("请求过于频繁")
    HTTP_ERROR = "http_error", _("其他 HTTP 错误")
    SERVER_ERROR = "server_error", _("服务器内部错误")
    CSRF_FAILED = "csrf_failed", _("会话请求缺少有效的 CSRF 令牌")
    BAD_CREDENTIALS = "bad_credentials", _("用户名或密码错误")
    LOGIN_LOCKED = "login_locked", _("登录失败次数过多，暂时锁定")
    PIN_NOT_ALLOWED = "pin_not_allowed", _("该账号不能用 PIN 登录")
    IDENTIFIER_IN_URL = "identifier_in_url", _("完整证件号不能放在地址里，请用 POST 搜索")
    FIELD_KEY_MISMATCH = "field_key_mismatch", _("字段加密密钥与已存数据不符（运维问题）")
    BAD_FILE = "bad_file", _("上传的文件无法读取")
    BAD_KIND = "bad_kind", _("不支持的导入类型")
    FILE_TOO_LARGE = "file_too_large", _("上传的文件过大")
    UNCOMPRESSED_TOO_LARGE = "uncompressed_too_large", _("表格解压后过大")
    TOO_MANY_ROWS = "too_many_rows", _("表格行数过多")
    CELL_TOO_LONG = "cell_too_long", _("单元格内容过长")


def program_codes() -> dict[str, type[TextChoices]]:
    """{program label: its Code enum}: core's, then each program's `errors.Code`."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    found: dict[str, type[TextChoices]] = {"core": Code}
    for config in apps.get_app_configs():
        is_program = config.name.startswith("gaoxin.") and config.label != "core"
        if is_program and find_spec(f"{config.name}.errors"):
            found[config.label] = import_module(f"{config.name}.errors").Code
    return found


def declared_codes() -> dict[str, str]:
    """Every declared code → its description (the first program that declares it)."""
    codes: dict[str, str] = {}
    for enum in program_codes().values():
        for value, label in enum.choices:
            codes.setdefault(value, str(label))
    return codes


class ApplicationError(Exception):
    """A refusal the user can understand: stable `code`, Chinese `message`."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        fields: dict | None = None,
        status: int | None = None,
    ):
        self.message = str(message or _("请求无法处理"))
        self.code = code or self.code
        self.fields = fields or {}
        if status:
            self.status = status
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    status = 422
    code = "invalid"

    def __init__(self, fields: dict, message=None):
        super().__init__(message or _("提交的数据有误，请按提示修改"), fields=fields)


class NotFound(ApplicationError):
    status = 404
    code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("未找到该记录"), **kwargs)


class Forbidden(ApplicationError):
    status = 403
    code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("您没有执行此操作的权限"), **kwargs)


class Conflict(ApplicationError):
    status = 409
    code = "conflict"


def codes_markdown() -> str:
    """The README's "Error codes" table, one row per (program, code), from the registry."""
    rows = ["| program | code | 含义 |", "|---|---|---|"]
    for program, enum in program_codes().items():
        for value, label in enum.choices:
            rows.append(f"| {program} | `{value}` | {label} |")
    return "\n".join(rows)
