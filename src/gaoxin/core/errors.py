"""One error family for services, mapped to HTTP in one place (config/api.py)."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal the user can understand: stable `code`, Chinese `message`."""

    status = 400
    code = "bad_request"

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None,
                 status: int | None = None):  # fmt: skip
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
