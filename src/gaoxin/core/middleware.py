"""Response headers and error pages every page shares.

- `ContentSecurityPolicyMiddleware`: scripts only from our own origin or an
  inline block carrying this response's nonce (`{{ request.csp_nonce }}`);
  no plugins, no framing, forms post to us only. Styles may be inline (Django
  admin and the templates use style attributes; styles cannot run code).
  Map tiles may come from GAOXIN_MAP_TILE_URL's origin.
- `FieldKeyErrorMiddleware`: a page that must decrypt personal data under the
  wrong GAOXIN_FIELD_KEY says so (503) instead of a bare server error. The API
  answers the same error as JSON in its own handler.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.template.response import TemplateResponse

from gaoxin.core.crypto import FieldKeyError

# Inline event handlers our templates use verbatim; allowed by hash ('unsafe-hashes'),
# so no other inline handler runs. Handlers with text in them are data-confirm instead.
_HANDLER_HASHES = (
    "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",  # this.form.submit()
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # window.print()
)


def _tile_origin() -> str:
    url = getattr(settings, "GAOXIN_MAP_TILE_URL", "") or ""
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme in ("http", "https") and parts.netloc:
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
        return f"{parts.scheme}://{host}"
    return ""


def content_security_policy(nonce: str) -> str:
    tiles = _tile_origin()
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}' 'unsafe-hashes' {' '.join(_HANDLER_HASHES)}",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob:{' ' + tiles if tiles else ''}",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(request.csp_nonce)
        return response


class FieldKeyErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FieldKeyError):
            return None
        response = TemplateResponse(
            request, "503_field_key.html", {"message": exception.message}, status=503
        )
        return response.render()
