"""The cleaning of what people type: whatever comes in, a value in range or a Chinese
message naming the field — never an exception, never a value out of range."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.cases.domain import MAX_AID_FEN, clean_aid, clean_due

anything = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=30),
    st.dates(),
    st.floats(allow_nan=True),
    st.booleans(),
)

# a loaded 2-core machine: generation may be slow, the property is what matters
patient = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200)


@patient
@given(amount=anything, start=anything, end=anything, kind=anything)
def test_aid_input_is_cleaned_or_refused_with_field_messages(amount, start, end, kind):
    out = clean_aid({"kind": kind, "amount_fen": amount, "period_start": start, "period_end": end})
    if not out.errors:
        v = out.values
        assert 1 <= v["amount_fen"] <= MAX_AID_FEN
        assert v["period_start"] <= v["period_end"]
        assert (v["period_end"] - v["period_start"]).days <= 366
    else:
        assert set(out.errors) <= {"kind", "amount_fen", "period_start", "period_end"}
        assert all(isinstance(m, str) and m for m in out.errors.values())


@patient
@given(due=anything)
def test_due_dates_are_within_a_year(due):
    today = dt.date(2026, 12, 2)
    out = clean_due({"due_on": due}, start=today, label="回复期限")
    if not out.errors:
        assert today <= out.values["due_on"] <= today + dt.timedelta(days=366)
    else:
        assert list(out.errors) == ["due_on"]
