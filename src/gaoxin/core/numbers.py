"""Numbers as a Chinese report writes them: "6000 多人次", "7 万多元", "500 余万元",
"超 1000 个", "近 150 个", "增长超 5%".

One formatter for every program, so a zone's published figures read the same
everywhere. Approximations always round *down* for 多/余/超 (the true value is
more than what is written) and *up* for 近 (the true value is just under it).
"""

from decimal import ROUND_FLOOR, Decimal

BIG_UNITS = ((10**8, "亿"), (10**4, "万"))


def _split(n: int) -> tuple[Decimal, int, str]:
    for size, name in BIG_UNITS:
        if n >= size:
            return Decimal(n) / size, size, name
    return Decimal(n), 1, ""


def _leading(v: Decimal) -> int:
    """Round down to one significant digit: 6342 → 6000, 512.3 → 500, 7.4 → 7."""
    if v < 1:
        return 0
    magnitude = 10 ** (len(str(int(v))) - 1)
    return int(v) // magnitude * magnitude


def cn_approx(n: int, unit: str = "", *, word: str = "多", exact_below: int = 10) -> str:
    """6342 → "6000 多", (74210, "元") → "7 万多元", (5_123_400, "元", word="余") → "500 余万元"."""
    if n < 0:
        return "负" + cn_approx(-n, unit, word=word, exact_below=exact_below)
    if n < exact_below:
        return f"{n} {unit}".rstrip() if unit else str(n)
    v, _, big = _split(n)
    lead = _leading(v)
    more = v > lead
    if not more:
        return f"{lead} {big}{unit}"
    if big and lead < 10:
        return f"{lead} {big}{word}{unit}"
    return f"{lead} {word}{big}{unit}"


def cn_exact(n: int, unit: str = "") -> str:
    """Exact, with 万/亿 when the number is a whole multiple: 15 → "15", 30000 → "3 万"."""
    for size, name in BIG_UNITS:
        if n >= size and n % size == 0:
            return f"{n // size} {name}{unit}"
    return f"{n} {unit}".rstrip() if unit else str(n)


def cn_over(n: int, unit: str = "") -> str:
    """1016 → "超 1000": the largest one-significant-digit figure below n."""
    v, _, big = _split(n)
    lead = _leading(v)
    if lead == v or lead == 0:  # exactly round (or tiny): "超" would be false
        return cn_exact(n, unit)
    return f"超 {lead} {big}{unit}".strip()


def cn_near(n: int, unit: str = "") -> str:
    """146 → "近 150", 1_480_000 → "近 150 万": two significant digits, rounded up."""
    if n < 10:
        return cn_exact(n, unit)
    step = 10 ** (len(str(n)) - 2)
    up = -(-n // step) * step
    if up == n:
        return cn_exact(n, unit)
    return "近 " + cn_exact(up, unit)


def cn_growth(previous: int, current: int) -> str:
    """(67, 71) → "增长超 5%"; (100, 105) → "增长 5%"; (100, 90) → "下降 10%"."""
    if previous <= 0:
        return "新增" if current > 0 else "持平"
    change = (Decimal(current) - previous) / previous * 100
    if change == 0:
        return "持平"
    verb = "增长" if change > 0 else "下降"
    pct = abs(change)
    whole = pct.to_integral_value(rounding=ROUND_FLOOR)
    if pct == whole:
        return f"{verb} {whole}%"
    if whole == 0:
        return f"{verb}不足 1%"
    return f"{verb}超 {whole}%"


def cn_yuan_approx(fen: int, *, word: str = "多") -> str:
    """Money from integer fen: 7_421_000 fen → "7 万多元"."""
    return cn_approx(fen // 100, "元", word=word)


def yuan(fen: int) -> str:
    """Exact money for tables: 123456 fen → "1,234.56"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
