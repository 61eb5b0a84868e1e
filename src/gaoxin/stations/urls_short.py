"""The short poster URL /s/<code>/ (kept at the site root so QR codes stay small)."""

from django.urls import path

from gaoxin.stations.views import checkin

app_name = "stations_short"
urlpatterns: list = [
    path("s/<str:code>/", checkin.checkin, name="checkin"),
    path("s/<str:code>/ok/", checkin.checkin_done, name="checkin_done"),
]
