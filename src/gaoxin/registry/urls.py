"""Back-office pages of the registry under /office/: Excel import and export of its
rosters (beyond Django admin)."""

from django.urls import path

from gaoxin.registry import views

app_name = "registry"
urlpatterns: list = [
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>/", views.import_template, name="import_template"),
    path("export/<str:kind>/", views.export_download, name="export"),
]
