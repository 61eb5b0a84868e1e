"""Back-office workflow pages of the registry (beyond Django admin)."""

from django.urls import path

from gaoxin.core import views_import

app_name = "core"
urlpatterns: list = [
    path("import/", views_import.import_page, name="import"),
    path("import/template/<str:kind>/", views_import.import_template, name="import_template"),
    path("export/<str:kind>/", views_import.export_download, name="export"),
]
