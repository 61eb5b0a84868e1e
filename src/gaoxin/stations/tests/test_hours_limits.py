"""Opening hours are input like any other: a day has a handful of intervals, not thousands."""

import pytest

from gaoxin.core.errors import InvalidInput
from gaoxin.stations import hours


def test_a_day_has_at_most_six_opening_intervals():
    six = ", ".join(f"{h:02d}:00-{h:02d}:30" for h in range(8, 20, 2))
    assert len(hours.parse_ranges(six)) == 6
    with pytest.raises(InvalidInput) as caught:
        hours.parse_ranges(", ".join(["08:00-09:00"] * 10_000))
    assert caught.value.fields == {"hours": "每天最多 6 个营业时段"}
    with pytest.raises(InvalidInput):
        hours.parse_week({"mon": six + ", 21:00-22:00"})
