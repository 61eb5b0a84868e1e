"""Pages under /cases/: phone pages at m/, the public progress of a meeting, officers'
pages at office/, a department liaison's at liaison/."""

from django.urls import path

from gaoxin.cases.views import liaison, office, office_cases, phone, public
from gaoxin.core.views_home import PhoneLoginView

app_name = "cases"

urlpatterns = [
    # phone pages (workers)
    path("m/", phone.my_requests, name="m-mine"),
    path("m/login/", PhoneLoginView.as_view(next_page="cases:m-mine"), name="m-login"),
    path("m/ask/", phone.ask, name="m-ask"),
    path("m/demands/<int:demand_id>/", phone.demand_detail, name="m-demand"),
    path("m/cases/<int:case_id>/", phone.case_detail, name="m-case"),
    # public
    path("meetings/<int:meeting_id>/progress/", public.progress, name="progress"),
    # back office (officers)
    path("office/", office.workbench, name="office"),
    path("office/demands/", office.demand_list, name="office-demands"),
    path("office/demands/new/", office.demand_create, name="office-demand-create"),
    path("office/demands/<int:demand_id>/", office.demand_detail, name="office-demand"),
    path("office/meetings/", office.meeting_list, name="office-meetings"),
    path("office/meetings/new/", office.meeting_create, name="office-meeting-create"),
    path("office/meetings/<int:meeting_id>/", office.meeting_detail, name="office-meeting"),
    path("office/figures/", office.figures, name="office-figures"),
    path("office/export/demands.xlsx", office.export_demands, name="office-export-demands"),
    path("office/export/aid.xlsx", office.export_aid, name="office-export-aid"),
    path("office/cases/", office_cases.case_list, name="office-cases"),
    path("office/cases/new/", office_cases.case_create, name="office-case-create"),
    path("office/cases/<int:case_id>/", office_cases.case_detail, name="office-case"),
    path(
        "office/cases/<int:case_id>/steps/<int:step_id>/done/",
        office_cases.step_done,
        name="office-step-done",
    ),
    path("office/cases/<int:case_id>/aid/", office_cases.aid_apply, name="office-aid-apply"),
    path(
        "office/cases/<int:case_id>/aid/<int:aid_id>/<slug:verb>/",
        office_cases.aid_act,
        name="office-aid-act",
    ),
    path("office/cases/<int:case_id>/files/", office_cases.case_file_add, name="office-case-file"),
    path("office/cases/<int:case_id>/close/", office_cases.case_close, name="office-case-close"),
    path("office/cases/<int:case_id>/refer/", office_cases.case_refer, name="office-case-refer"),
    # department liaisons
    path("liaison/", liaison.referral_list, name="liaison"),
    path("liaison/<int:referral_id>/<slug:verb>/", liaison.referral_act, name="liaison-act"),
]
