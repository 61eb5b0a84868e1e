"""Pages under /party/: the officer's at office/, the instructor's phone page at m/."""

from django.urls import path

from gaoxin.core.views_home import PhoneLoginView
from gaoxin.party.views import office, phone

app_name = "party"

urlpatterns = [
    path("m/", phone.visit, name="m-visit"),
    path("m/login/", PhoneLoginView.as_view(next_page="party:m-visit"), name="m-login"),
    path("office/", office.board, name="office"),
    path("office/candidates/<int:candidate_id>/", office.candidate, name="office-candidate"),
    path(
        "office/candidates/<int:candidate_id>/records/<int:record_id>/files/",
        office.step_file_add,
        name="office-step-file",
    ),
    path("office/orgs/", office.orgs, name="office-orgs"),
    path("office/rules/", office.rule_table, name="office-rules"),
    path("office/instructors/", office.instructors, name="office-instructors"),
    path("office/pipeline.xlsx", office.pipeline_xlsx, name="office-pipeline-xlsx"),
    path("office/visits.xlsx", office.visits_xlsx, name="office-visits-xlsx"),
]
