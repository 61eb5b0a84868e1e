"""Pinyin keys that make name search forgiving ("fls" finds 冯立松)."""

from pypinyin import Style, lazy_pinyin, pinyin


def name_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name or "", errors="default")).lower()


def name_initials(name: str) -> str:
    """Space-separated initials. A surname can read differently from the same
    character elsewhere (单 is shan as a surname, 曾 is zeng), so the first
    character's other readings give extra variants and either spelling finds it."""
    if not name:
        return ""
    letters = [p[0].lower() for p in pinyin(name, style=Style.FIRST_LETTER, errors="default")]
    if not letters:
        return ""
    primary = "".join(letters)
    first = pinyin(name[0], style=Style.FIRST_LETTER, heteronym=True, errors="default")
    alternatives = sorted({r.lower() for r in (first[0] if first else [])} - {letters[0]})
    variants = [primary] + [a + primary[1:] for a in alternatives[:3]]
    return " ".join(variants)
