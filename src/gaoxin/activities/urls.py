"""Pages under /activities/: phone pages at m/, officers' workflow pages at office/."""

from django.urls import path

from gaoxin.activities.views import office, office_programme, phone
from gaoxin.core.views_home import PhoneLoginView

app_name = "activities"

urlpatterns = [
    # phone pages (workers)
    path("m/", phone.activity_list, name="list"),
    path("m/login/", PhoneLoginView.as_view(next_page="activities:list"), name="login"),
    path("m/mine/", phone.my_signups, name="mine"),
    path("m/<int:activity_id>/", phone.activity_detail, name="detail"),
    path("m/signups/<int:signup_id>/cancel/", phone.cancel, name="cancel"),
    path("m/checkin/<str:token>/", phone.checkin, name="checkin"),
    # back office (officers)
    path("office/", office.activity_list, name="office-list"),
    path("office/new/", office.activity_create, name="office-create"),
    path("office/<int:activity_id>/", office.activity_detail, name="office-detail"),
    path("office/<int:activity_id>/edit/", office.activity_edit, name="office-edit"),
    path(
        "office/<int:activity_id>/do/<slug:verb>/",
        office.activity_transition,
        name="office-transition",
    ),
    path("office/<int:activity_id>/sessions/add/", office.sessions_add, name="office-sessions-add"),
    path(
        "office/<int:activity_id>/sessions/<int:session_id>/",
        office.session_attendance,
        name="office-session",
    ),
    path(
        "office/<int:activity_id>/sessions/<int:session_id>/qr/",
        office.session_qr,
        name="office-qr",
    ),
    path("office/<int:activity_id>/signups/add/", office.signup_add, name="office-signup-add"),
    path(
        "office/<int:activity_id>/signups/<int:signup_id>/cancel/",
        office.signup_cancel,
        name="office-signup-cancel",
    ),
    path(
        "office/<int:activity_id>/programme/", office_programme.programme, name="office-programme"
    ),
    path(
        "office/<int:activity_id>/programme/print/",
        office_programme.programme_print,
        name="office-programme-print",
    ),
    path(
        "office/<int:activity_id>/export/signups.xlsx",
        office.export_signups,
        name="office-export-signups",
    ),
    path(
        "office/<int:activity_id>/export/attendance.xlsx",
        office.export_attendance,
        name="office-export-attendance",
    ),
]
