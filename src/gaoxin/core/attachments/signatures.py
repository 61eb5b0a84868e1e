"""What a file is, decided from its bytes (never from its name).

PDF, JPEG and PNG by their magic bytes; Office files by their container:
OOXML is a ZIP whose member list (the central directory only: nothing is
decompressed, so a zip bomb costs nothing) holds `[Content_Types].xml` and a
`word/`, `xl/` or `ppt/` part; legacy Office is an OLE2 compound file whose
top-level streams name the application (an MSI installer or an Outlook
message is OLE2 too, and is refused).
"""

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first is the one given to a name that lacks it

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
)
DOC = FileType("application/msword", (".doc",))
XLS = FileType("application/vnd.ms-excel", (".xls",))
PPT = FileType("application/vnd.ms-powerpoint", (".ppt",))

ALL = (PDF, JPEG, PNG, DOCX, XLSX, PPTX, DOC, XLS, PPT)
BY_CONTENT_TYPE = {t.content_type: t for t in ALL}

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_PNG = b"\x89PNG\r\n\x1a\n"
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_MAX_ZIP_MEMBERS = 20_000  # an Office file has dozens; a central directory of more is refused


def sniff(file: BinaryIO, size: int) -> FileType | None:
    """The file's type, or None when it is none we accept. `file` is seekable."""
    file.seek(0)
    head = file.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head == _PNG:
        return PNG
    if head.startswith(_ZIP):
        return _ooxml(file)
    if head == _OLE2:
        return _ole2(file, size)
    return None


def _ooxml(file: BinaryIO) -> FileType | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:  # reads the central directory, nothing else
            names = archive.namelist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        struct.error,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ):
        return None
    if len(names) > _MAX_ZIP_MEMBERS or "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


# Top-level streams of the compound file that say which application wrote it.
_OLE2_STREAMS = (("WordDocument", DOC), ("PowerPoint Document", PPT), ("Workbook", XLS))
_OLE2_ALIASES = {"Book": "Workbook"}  # Excel 5/95
_FREE = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE


def _ole2(file: BinaryIO, size: int) -> FileType | None:
    try:
        names = _ole2_top_level_names(file, size)
    except (struct.error, ValueError, IndexError):
        return None
    names = {_OLE2_ALIASES.get(n, n) for n in names}
    for stream, kind in _OLE2_STREAMS:
        if stream in names:
            return kind
    return None


def _ole2_top_level_names(file: BinaryIO, size: int) -> set[str]:
    """Names of the root storage's children ([MS-CFB]); every loop is bounded by the
    file's own sector count, so a crafted file cannot make it run away."""
    file.seek(0)
    header = file.read(512)
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    sector_size = 1 << shift
    sectors = max(size // sector_size, 1)
    fat_count, first_dir = struct.unpack_from("<II", header, 44)
    first_difat, difat_count = struct.unpack_from("<II", header, 68)
    if fat_count > sectors:
        raise ValueError("FAT larger than the file")

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise ValueError("sector outside the file")
        file.seek((n + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("short sector")
        return data

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n != _FREE]
    next_difat, seen = first_difat, 0
    per_difat = sector_size // 4 - 1
    while next_difat not in (_FREE, _END_OF_CHAIN) and seen < min(difat_count, sectors):
        block = struct.unpack(f"<{per_difat + 1}I", sector(next_difat))
        fat_sectors += [n for n in block[:per_difat] if n != _FREE]
        next_difat, seen = block[per_difat], seen + 1
    fat_sectors = fat_sectors[:fat_count]
    fat: list[int] = []
    for n in fat_sectors:
        fat += struct.unpack(f"<{sector_size // 4}I", sector(n))

    directory = b""
    n, steps = first_dir, 0
    while n not in (_FREE, _END_OF_CHAIN):
        steps += 1
        if steps > sectors:
            raise ValueError("directory chain loops")
        directory += sector(n)
        n = fat[n]

    entries = []
    for offset in range(0, len(directory) - 127, 128):
        raw = directory[offset : offset + 128]
        length = struct.unpack_from("<H", raw, 64)[0]
        name = raw[: max(length - 2, 0)].decode("utf-16-le", "replace")
        left, right, child = struct.unpack_from("<III", raw, 68)
        entries.append((name, left, right, child))
    if not entries:
        raise ValueError("no directory")

    names: set[str] = set()
    stack, visited = [entries[0][3]], set()
    while stack:
        i = stack.pop()
        if i == _FREE or i >= len(entries) or i in visited:
            continue
        visited.add(i)
        name, left, right, _child = entries[i]
        names.add(name)
        stack += [left, right]
    return names
