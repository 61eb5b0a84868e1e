"""Logs never hold a full 身份证号 or mobile number.

Searching people by a full identifier is a POST (`/api/v1/people/search`), and a
GET that carries one is refused, but a refused request is still logged, and
clients, proxies and browsers may put one in a URL anyway. So every request
line we log is masked the way lists are (`4412**********1234`, `138****1234`):

- `MaskingGunicornLogger`: gunicorn's access and error logs (`gaoxin up`
  passes it as `--logger-class`);
- `MaskingFilter`: Django's loggers ("django.request", "django.server" — the
  development server's request lines) and the root handlers, installed by
  `install()` from CoreConfig.ready.
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

_SEP = r"(?:[-\s+.]|%20|%2[dD])?"
# Not inside a longer word or number; right after a %-escape (`next=%3Fq%3D…`) is a start.
_START = r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![\dA-Za-z]))"
# A mobile number: optional +86 / 86, then 1 and ten digits, in groups of 3-4-4.
_PHONE = re.compile(rf"{_START}(?:(?:%2[bB]|\+)?86{_SEP})?1\d{{2}}{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)")
# A 身份证号: 18 characters (the last may be X) or the old 15 digits, groups 6-8-4.
_ID_NUMBER = re.compile(
    rf"{_START}(?:\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[\dXx]|\d{{15}})(?![\dA-Za-z])"
)


def _mask_id(match: re.Match) -> str:
    digits = re.sub(r"%2[dD0]|%20|[^\dXx]", "", match.group(0))
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _mask_phone(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"%2[bBdD]|%20|\D", "", text)[-11:]
    return digits[:3] + "****" + digits[-4:]


def mask_identifiers(text: str) -> str:
    """`text` with every full ID number and mobile number masked."""
    if not text or not any(c.isdigit() for c in text):
        return text
    return _PHONE.sub(_mask_phone, _ID_NUMBER.sub(_mask_id, text))


class MaskingFilter(logging.Filter):
    """Masks identifiers in a record's message (the formatted one, so arguments
    are covered), leaving the record otherwise as it was."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's problem to report
            return True
        masked = mask_identifiers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = mask_identifiers(record.exc_text)
        return True


MASKED_LOGGERS = ("django.request", "django.server", "gunicorn.access", "gunicorn.error")


def install() -> None:
    """Mask the request loggers and whatever the root logger writes to."""
    for name in MASKED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(MaskingFilter())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())


class MaskingGunicornLogger(GunicornLogger):
    """gunicorn's logger with every access-log field (request line, path, query
    string, Referer, headers) masked, and a masking filter on its error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskingFilter) for f in logger.filters):
                logger.addFilter(MaskingFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_identifiers(v) if isinstance(v, str) else v for k, v in atoms.items()}
