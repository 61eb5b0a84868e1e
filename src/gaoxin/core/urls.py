"""Back-office pages of core under /office/: the workbench (工作台) every staff role
lands on, and the attachment download every program links to (phone sessions too).
The registry's import/export pages share the prefix (gaoxin.registry.urls)."""

from django.urls import path

from gaoxin.core import views_home
from gaoxin.core.attachments import views as attachment_views

app_name = "core"
urlpatterns: list = [
    path("", views_home.workbench, name="workbench"),
    path("files/<int:pk>/", attachment_views.attachment_download, name="attachment"),
]
