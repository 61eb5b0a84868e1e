#!/usr/bin/env python
"""Refresh the English catalogue: makemessages, fill from the glossary, compile.

Source strings are Chinese; English lives in src/gaoxin/locale/en_glossary.json
(Chinese → English), so translations survive makemessages and reviewers read
one small JSON file instead of a .po. Steps:

1. `django-admin makemessages -l en` over config/ and src/ (tests excluded);
2. every empty or fuzzy msgstr whose msgid is in the glossary is filled, and
   the fuzzy flag dropped (msgfmt skips fuzzy entries);
3. msgids missing from the glossary are reported and added to it with an
   empty value, ready to be translated;
4. `django-admin compilemessages -l en`.

Idempotent: a second run changes nothing. Exit status 1 when something is
still untranslated (`--allow-missing` to compile anyway and exit 0).

    .venv/bin/python scripts/i18n_update.py [--allow-missing] [--no-makemessages]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "gaoxin" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
GLOSSARY = LOCALE / "en_glossary.json"
# "locale": an app's own locale/ directory would capture that app's strings.
IGNORE = [
    ".venv",
    "venv",
    "*/tests/*",
    "tests",
    "bench",
    "build",
    "dist",
    "*.egg-info",
    "node_modules",
    "*/migrations/*",
    "scripts",
    "locale",
]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{text}"'


class Entry:
    """One block of a .po file, kept line for line except what we fill."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s", line)
            if match:
                key = match.group(1)
                self.fields[key] = _unquote(line)
            elif line.startswith('"') and key:
                self.fields[key] += _unquote(line)

    @property
    def is_header(self) -> bool:
        return self.fields.get("msgid") == "" and "msgctxt" not in self.fields

    @property
    def is_obsolete(self) -> bool:
        return all(line.startswith("#") for line in self.lines)

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.lines)

    @property
    def translated(self) -> bool:
        strs = [v for k, v in self.fields.items() if k.startswith("msgstr")]
        return bool(strs) and all(strs) and not self.fuzzy

    def fill(self, value) -> None:
        """Replace msgstr (or msgstr[n]) and drop fuzzy marks and previous-msgid lines."""
        keep = []
        for line in self.lines:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    keep.append("#, " + ", ".join(flags))
                continue
            keep.append(line)
        head, in_str = [], False
        for line in keep:
            if line.startswith("msgstr"):
                in_str = True
            elif in_str and line.startswith('"'):
                continue
            elif in_str:
                in_str = False
            if not in_str:
                head.append(line)
        if "msgid_plural" in self.fields:
            forms = value if isinstance(value, list) else [value, value]
            tail = [f"msgstr[{i}] {_quote(v)}" for i, v in enumerate(forms)]
        else:
            tail = [f"msgstr {_quote(value)}"]
        self.__init__(head + tail)


def read_po(path: Path) -> list[Entry]:
    blocks = path.read_text(encoding="utf-8").strip("\n").split("\n\n")
    return [Entry(block.split("\n")) for block in blocks if block.strip()]


def write_po(path: Path, entries: list[Entry]) -> None:
    path.write_text("\n\n".join("\n".join(e.lines) for e in entries) + "\n", encoding="utf-8")


def _fix_header(entry: Entry) -> None:
    lines = [line for line in entry.lines if not (line.startswith("#,") and "fuzzy" in line)]
    replacements = {
        '"Project-Id-Version: ': '"Project-Id-Version: gaoxin\\n"',
        '"Language-Team: ': '"Language-Team: English\\n"',
        '"Language: ': '"Language: en\\n"',
        '"Last-Translator: ': '"Last-Translator: gaoxin\\n"',
    }
    out = []
    for line in lines:
        for prefix, new in replacements.items():
            if line.startswith(prefix):
                line = new
        out.append(line)
    entry.__init__(out)


def django_admin(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.setdefault("GAOXIN_DATA_DIR", tempfile.gettempdir())
    exe = Path(sys.executable).with_name("django-admin")
    cmd = [str(exe) if exe.exists() else "django-admin", *args]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def update(*, makemessages: bool = True) -> list[str]:
    """Run the steps before compiling; returns the msgids still untranslated."""
    LOCALE.mkdir(parents=True, exist_ok=True)
    if makemessages:
        ignores = [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
        django_admin(
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--add-location",
            "file",
            "-e",
            "py,html,txt",
            *ignores,
        )
    glossary: dict = json.loads(GLOSSARY.read_text(encoding="utf-8")) if GLOSSARY.exists() else {}
    entries = read_po(PO)
    missing = []
    for entry in entries:
        if entry.is_header:
            _fix_header(entry)
            continue
        if entry.is_obsolete or entry.translated:
            continue
        msgid = entry.fields["msgid"]
        if "msgctxt" in entry.fields:
            msgid = f"{entry.fields['msgctxt']}\u0004{msgid}"
        value = glossary.get(msgid)
        if value:
            entry.fill(value)
        else:
            missing.append(msgid)
            glossary.setdefault(msgid, "")
    write_po(PO, entries)
    text = json.dumps(dict(sorted(glossary.items())), ensure_ascii=False, indent=2) + "\n"
    if not GLOSSARY.exists() or GLOSSARY.read_text(encoding="utf-8") != text:
        GLOSSARY.write_text(text, encoding="utf-8")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="compile and exit 0 even if some strings are untranslated",
    )
    parser.add_argument(
        "--no-makemessages", action="store_true", help="only fill from the glossary and compile"
    )
    args = parser.parse_args()
    missing = update(makemessages=not args.no_makemessages)
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    if missing:
        print(
            f"{len(missing)} untranslated; add English to {GLOSSARY.relative_to(ROOT)} "
            "and run again",
            file=sys.stderr,
        )
    django_admin("compilemessages", "-l", "en", "--ignore", ".venv", "--ignore", "venv")
    return 0 if not missing or args.allow_missing else 1


if __name__ == "__main__":
    sys.exit(main())
