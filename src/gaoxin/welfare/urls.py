"""Pages under /welfare/: phone pages at m/ and redeem/, officers' workflow pages at office/."""

from django.urls import path

from gaoxin.welfare.views import office, phone

app_name = "welfare"

urlpatterns = [
    # phone pages (workers, merchants)
    path("m/", phone.campaign_list, name="m-campaigns"),
    path("m/login/", phone.WelfareLoginView.as_view(), name="m-login"),
    path("m/campaigns/<int:campaign_id>/claim/", phone.claim, name="m-claim"),
    path("m/vouchers/", phone.voucher_list, name="m-vouchers"),
    path("redeem/", phone.redeem, name="redeem"),
    # back office (officers)
    path("office/", office.campaign_list, name="office-list"),
    path("office/new/", office.campaign_create, name="office-create"),
    path("office/<int:campaign_id>/", office.campaign_detail, name="office-detail"),
    path(
        "office/<int:campaign_id>/do/<slug:verb>/",
        office.campaign_transition,
        name="office-transition",
    ),
    path(
        "office/<int:campaign_id>/export/claims.xlsx",
        office.export_claims,
        name="office-export-claims",
    ),
    path(
        "office/<int:campaign_id>/export/redemptions.xlsx",
        office.export_redemptions,
        name="office-export-redemptions",
    ),
    path(
        "office/<int:campaign_id>/export/ledger.xlsx",
        office.export_ledger,
        name="office-export-ledger",
    ),
]
