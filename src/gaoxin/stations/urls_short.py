"""The short poster URL /s/<code> (kept at the site root so QR codes stay small)."""

app_name = "stations_short"
urlpatterns: list = []
