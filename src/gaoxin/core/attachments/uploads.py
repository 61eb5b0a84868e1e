"""Checking an uploaded file: its size (read in chunks, never more than the limit + 1
byte), its type by signature, and a clean name. One set of Chinese words, for the API
(`InvalidInput`) and for pages (`AttachmentField`)."""

import hashlib
import os
import posixpath
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.attachments.signatures import FileType, sniff
from gaoxin.core.errors import InvalidInput

CHUNK = 64 * 1024
FILENAME_MAX = 200


def max_bytes() -> int:
    return int(settings.GAOXIN_ATTACHMENT_MAX_BYTES)


def size_words(n: int) -> str:
    """10485760 → "10 MB", 512000 → "500 KB" (the limit as a person says it)."""
    mib, kib = 1024 * 1024, 1024
    if n >= mib and n % mib == 0:
        return f"{n // mib} MB"
    if n >= mib:
        return f"{n / mib:.1f} MB"
    return f"{max(1, n // kib)} KB"


def too_large_message() -> str:
    return _("文件不能超过 %(size)s") % {"size": size_words(max_bytes())}


def unsupported_message() -> str:
    return _("不支持的文件类型：只能上传 PDF、JPG、PNG 或 Office（Word、Excel、PowerPoint）文件")


def empty_message() -> str:
    return _("文件内容为空，请重新选择文件")


def missing_message() -> str:
    return _("请选择要上传的文件")


@dataclass(frozen=True)
class Checked:
    size: int
    sha256: str
    type: FileType


def copy_checked(upload: UploadedFile | None, dest: BinaryIO, *, field: str = "file") -> Checked:
    """Copy `upload` into `dest` (a seekable binary file) and check it; InvalidInput
    ({field: 中文}) when it is missing, empty, too large or of a type we do not take."""
    if upload is None:
        raise InvalidInput({field: missing_message()})
    limit = max_bytes()
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    while True:
        chunk = upload.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise InvalidInput({field: too_large_message()})
        digest.update(chunk)
        dest.write(chunk)
    if size == 0:
        raise InvalidInput({field: empty_message()})
    dest.flush()
    kind = sniff(dest, size)
    if kind is None:
        raise InvalidInput({field: unsupported_message()})
    return Checked(size=size, sha256=digest.hexdigest(), type=kind)


def upload_problem(upload: UploadedFile | None) -> str | None:
    """The Chinese reason a file would be refused, or None (for forms: nothing is kept)."""
    with tempfile.TemporaryFile() as scratch:
        try:
            copy_checked(upload, scratch, field="file")
        except InvalidInput as exc:
            return exc.fields["file"]
    return None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def clean_filename(name: str | None, kind: FileType) -> str:
    """The user's name without folders, control or reserved characters, at most 200
    characters, ending in an extension of the type the bytes are (`报告.html` holding
    a PDF becomes `报告.html.pdf`, so no saved copy opens as something else)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = posixpath.basename(name.replace("\\", "/"))
    name = _UNSAFE.sub("", name)
    # Format characters (U+202E and kin) would let "文件\u202efdp.exe" show as "文件exe.pdf".
    name = "".join(c for c in name if unicodedata.category(c) != "Cf").strip().strip(".").strip()
    base, ext = os.path.splitext(name)
    if ext.lower() not in kind.extensions:
        base, ext = name, kind.extension
    base = base or _("附件")
    return base[: FILENAME_MAX - len(ext)] + ext.lower()


class AttachmentField(forms.FileField):
    """A page's file field that says what the API says (size, type, empty, missing)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("附件"))
        super().__init__(*args, **kwargs)
        self.error_messages["required"] = missing_message()
        self.error_messages["empty"] = empty_message()
        self.error_messages["invalid"] = missing_message()
        self.widget.attrs.setdefault(
            "accept", ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            problem = upload_problem(upload)
            if problem:
                raise forms.ValidationError(problem, code="attachment")
        return upload
