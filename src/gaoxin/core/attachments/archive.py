"""Attachment files in `gaoxin backup` and `gaoxin restore`.

A database with no attachment files backs up as before (gzip'd JSON). With files, the
backup is a gzip'd tar of that JSON (`gaoxin-backup.gaoxinjson`) and the files
(`attachments/<zone id>/<storage name>`); restore tells the two apart by the tar
header, so every older backup still restores. Restore unpacks files into a staging
folder beside the live one and swaps it in only after the database has committed.
"""

import gzip
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

from gaoxin.core.attachments.services import PENDING, root

DUMP_NAME = "gaoxin-backup.gaoxinjson"
_STORED = re.compile(r"[0-9a-f]{32}")
_MEMBER = re.compile(r"attachments/([0-9]+)/([0-9a-f]{32})")


class NotABackup(ValueError):
    """The archive holds something a backup never does."""


def stored_files() -> list[tuple[str, Path]]:
    """(name in the archive, path) of every committed attachment file."""
    base = root()
    if not base.is_dir():
        return []
    found = []
    for zone_dir in sorted(base.iterdir()):
        if zone_dir.name == PENDING or not zone_dir.name.isdigit() or not zone_dir.is_dir():
            continue
        for path in sorted(zone_dir.iterdir()):
            if _STORED.fullmatch(path.name) and path.is_file():
                found.append((f"attachments/{zone_dir.name}/{path.name}", path))
    return found


def write_tar_backup(dump: Path, target: Path, files: list[tuple[str, Path]]) -> None:
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(dump, arcname=DUMP_NAME)
        for name, path in files:
            tar.add(path, arcname=name)


def is_tar_backup(source: Path) -> bool:
    """Whether a (gzip'd) backup is the tar form; raises what gzip raises on a bad file."""
    with gzip.open(source, "rb") as stream:
        head = stream.read(512)
    return len(head) == 512 and head[257:262] == b"ustar"


def unpack_tar_backup(source: Path, dump: Path) -> Path:
    """Write the database dump to `dump` and the files to a new staging folder beside
    the live one (returned). Only a regular dump and well-named files are taken."""
    base = root()
    base.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".attachments-restoring-", dir=base.parent))
    try:
        seen_dump = False
        with tarfile.open(source, "r:gz") as tar:
            for member in tar:
                match = _MEMBER.fullmatch(member.name)
                if member.name == DUMP_NAME and member.isfile():
                    target, seen_dump = dump, True
                elif match and member.isfile():
                    target = staging / match.group(1) / match.group(2)
                    target.parent.mkdir(exist_ok=True)
                else:
                    raise NotABackup(member.name)
                with tar.extractfile(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
        if not seen_dump:
            raise NotABackup(DUMP_NAME)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def install_files(staging: Path) -> None:
    """The restored files become the live folder (the old one is removed)."""
    base = root()
    old = base.with_name(".attachments-replaced")
    shutil.rmtree(old, ignore_errors=True)
    if base.exists():
        os.replace(base, old)
    os.replace(staging, base)
    shutil.rmtree(old, ignore_errors=True)
