"""Back-office workflow pages of the registry (beyond Django admin)."""

from django.urls import path  # noqa: F401

app_name = "core"
urlpatterns: list = []
