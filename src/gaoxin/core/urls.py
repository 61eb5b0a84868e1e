"""Back-office pages of core under /office/: the workbench (工作台) every staff role
lands on, and the registry's import/export (beyond Django admin)."""

from django.urls import path

from gaoxin.core import views_home, views_import

app_name = "core"
urlpatterns: list = [
    path("", views_home.workbench, name="workbench"),
    path("import/", views_import.import_page, name="import"),
    path("import/template/<str:kind>/", views_import.import_template, name="import_template"),
    path("export/<str:kind>/", views_import.export_download, name="export"),
]
