"""Pure rules, checked over many generated inputs."""

import datetime as dt

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.activities import domain

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@given(birth=DATES, day=DATES)
def test_age_is_full_years_lived(birth, day):
    """A 29 February birthday comes on 1 March in other years."""

    def birthday(n: int) -> dt.date:
        try:
            return birth.replace(year=birth.year + n)
        except ValueError:
            return dt.date(birth.year + n, 3, 1)

    age = domain.age_on(birth, day)
    if day >= birth:
        assert birthday(age) <= day < birthday(age + 1)
    else:
        assert age < 0


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    repeat=st.sampled_from(["once", "daily", "weekdays", "weekly", "monthly"]),
    count=st.integers(min_value=1, max_value=40),
    minutes=st.integers(min_value=1, max_value=600),
)
def test_schedules_have_the_asked_number_of_ordered_sessions(start, repeat, count, minutes):
    first = timezone.make_aware(start.replace(second=0, microsecond=0))
    slots = domain.schedule(first, dt.timedelta(minutes=minutes), repeat, count)
    assert len(slots) == (1 if repeat == "once" else count)
    starts = [s.starts_at for s in slots]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=minutes) for s in slots)
    local = [timezone.localtime(s) for s in starts]
    assert all(t.time() == timezone.localtime(first).time() for t in local)  # same wall-clock time
    if repeat == "weekdays":
        assert all(t.weekday() < 5 for t in local)


@given(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s))
def test_masked_names_keep_only_the_ends(name):
    masked = domain.mask_name(name)
    assert len(masked) == len(name)
    if len(name) >= 3:
        assert masked[0] == name[0] and masked[-1] == name[-1] and set(masked[1:-1]) == {"*"}


def test_checkin_tokens_round_trip_and_refuse_tampering():
    class FakeSession:
        zone_id, pk = 3, 42

    token = domain.checkin_token(FakeSession)
    assert domain.read_checkin_token(token) == (3, 42)
    assert domain.read_checkin_token(token + "x") is None
    assert domain.read_checkin_token("") is None
