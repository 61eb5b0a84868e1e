"""Reads of the activities program, restricted to what the user may see.

Officers (view permission) see every activity of their zone; workers see
published and finished activities of their zone and only their own
sign-ups. Outside one's zone everything is "not found".

Statistics are computed from the records: a session is *held* when its
activity was published (or has since closed), its start time has passed and
the activity was not closed before it;
an *event* is an activity with at least one held session in the period.

One module per subject (activities, signups, statistics); this package
re-exports what views, the API, exports, the home page and tests call.
"""

from gaoxin.activities.selectors.activities import (
    VISIBLE_TO_PUBLIC,
    activities_for_user,
    activities_open_for_person,
    activity_get,
    activity_get_for_manager,
    allowed_verbs,
    can_manage,
    open_sessions,
    places,
    programme_item_get,
    programme_of,
    session_for_checkin_code,
    session_get,
    sessions_of,
    signup_open,
)
from gaoxin.activities.selectors.signups import (
    activity_signup_get,
    activity_signups_by_status,
    attendance_of_activity,
    attendance_of_session,
    bad_qr_error,
    child_ages,
    in_slot,
    my_active_signups,
    my_children,
    my_signups,
    people_for_signup,
    session_for_token,
    session_roster,
    session_signups,
    signup_counts,
    signup_get,
    signups_for_user,
    signups_of_activity,
    waitlist_position,
)
from gaoxin.activities.selectors.statistics import (
    HELD,
    MAX_MONTHS,
    activities_monthly,
    activities_totals_by_zone,
    activities_zone_totals,
    party_org_counts,
    with_figures,
)

__all__ = [
    "HELD",
    "MAX_MONTHS",
    "VISIBLE_TO_PUBLIC",
    "activities_for_user",
    "activities_monthly",
    "activities_open_for_person",
    "activities_totals_by_zone",
    "activities_zone_totals",
    "activity_get",
    "activity_get_for_manager",
    "activity_signup_get",
    "activity_signups_by_status",
    "allowed_verbs",
    "attendance_of_activity",
    "attendance_of_session",
    "bad_qr_error",
    "can_manage",
    "party_org_counts",
    "child_ages",
    "in_slot",
    "my_active_signups",
    "my_children",
    "my_signups",
    "open_sessions",
    "places",
    "people_for_signup",
    "programme_item_get",
    "programme_of",
    "session_for_checkin_code",
    "session_for_token",
    "session_get",
    "session_roster",
    "session_signups",
    "sessions_of",
    "signup_counts",
    "signup_get",
    "signup_open",
    "signups_for_user",
    "signups_of_activity",
    "waitlist_position",
    "with_figures",
]
