"""Back-office pages of core under /office/: the workbench (工作台) every staff role
lands on. The registry's import/export pages share the prefix (gaoxin.registry.urls)."""

from django.urls import path

from gaoxin.core import views_home

app_name = "core"
urlpatterns: list = [
    path("", views_home.workbench, name="workbench"),
]
