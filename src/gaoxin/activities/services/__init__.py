"""Every write of the activities program: check, write and audit in one transaction.

One module per entity (activities, sessions, seats, signups, attendance,
programme); this package re-exports what views, the API, the demo and tests call,
so `services.signup_for(...)` is the same name wherever it is used.

Seats. A sign-up takes a seat in its slot (the activity for whole-series
sign-ups, the session for per-session ones) by a conditional UPDATE that
only succeeds while `confirmed < capacity`; a CHECK constraint backs it up.
A cancelled seat goes to the earliest waiting sign-up in the same
transaction. Locks are always taken in the order slot → sign-up → audit
chain, so concurrent cancellations and promotions on PostgreSQL queue
instead of deadlocking; on SQLite transactions are IMMEDIATE and queue anyway.

`at` parameters let the demo and imports of paper ledgers record events that
happened in the past; the API and pages never pass them.
"""

from gaoxin.activities.services._common import EDITABLE
from gaoxin.activities.services.activities import (
    ACTIVITY_AUDIT_FIELDS,
    activity_create,
    activity_transition,
    activity_update,
)
from gaoxin.activities.services.attendance import attendance_checkin, attendance_mark
from gaoxin.activities.services.programme import (
    PROGRAMME_AUDIT_FIELDS,
    programme_item_add,
    programme_item_delete,
    programme_item_move,
    programme_item_update,
)
from gaoxin.activities.services.seats import signup_transition
from gaoxin.activities.services.sessions import (
    SESSION_AUDIT_FIELDS,
    session_delete,
    session_update,
    sessions_add,
)
from gaoxin.activities.services.signups import (
    NotEligible,
    signup_cancel,
    signup_create,
    signup_for,
)

__all__ = [
    "ACTIVITY_AUDIT_FIELDS",
    "EDITABLE",
    "NotEligible",
    "PROGRAMME_AUDIT_FIELDS",
    "SESSION_AUDIT_FIELDS",
    "activity_create",
    "activity_transition",
    "activity_update",
    "attendance_checkin",
    "attendance_mark",
    "programme_item_add",
    "programme_item_delete",
    "programme_item_move",
    "programme_item_update",
    "session_delete",
    "session_update",
    "sessions_add",
    "signup_cancel",
    "signup_create",
    "signup_for",
    "signup_transition",
]
