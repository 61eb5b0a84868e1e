"""The one way an attachment leaves the platform: as a download, never rendered."""

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._ ()\[\]-]")


def content_disposition(filename: str) -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 / 5987): the Chinese name
    survives in every current browser, and old ones get an ASCII name of the same type."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = _NOT_TOKEN.sub("_", ascii_name).strip(" .") or "file"
    if "." not in ascii_name and "." in filename:
        ascii_name += "." + filename.rsplit(".", 1)[1].encode("ascii", "ignore").decode()
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(attachment, handle) -> FileResponse:
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened by mistake as a page, it can run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
