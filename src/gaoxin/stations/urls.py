"""Pages of the stations program: workers' phone pages (m/), keepers' (keeper/)
and the back office (office/)."""

from django.urls import path

from gaoxin.core.views_home import PhoneLogoutView
from gaoxin.stations.views import keeper, office, worker

app_name = "stations"
urlpatterns: list = [
    # workers, on a phone
    path("m/", worker.nearest, name="nearest"),
    path("m/map/", worker.station_map, name="map"),
    path("m/visits/", worker.my_visits, name="visits"),
    path("m/visits/pin/", worker.visits_pin, name="visits_pin"),
    path("m/login/", worker.StationLoginView.as_view(), name="login"),
    path("m/logout/", PhoneLogoutView.as_view(next_page="stations:nearest"), name="logout"),
    path("m/<int:station_id>/", worker.station_detail, name="detail"),
    # station keepers, on a phone
    path("keeper/", keeper.keeper_home, name="keeper"),
    path("keeper/<int:station_id>/", keeper.keeper_station, name="keeper_station"),
    # back office
    path("office/", office.station_list, name="office"),
    path("office/new/", office.station_new, name="office_new"),
    path("office/stats/", office.stats, name="office_stats"),
    path("office/export.xlsx", office.export, name="office_export"),
    path("office/<int:station_id>/", office.station_detail, name="office_detail"),
    path("office/<int:station_id>/edit/", office.station_edit, name="office_edit"),
    path("office/<int:station_id>/status/", office.station_status, name="office_status"),
    path("office/<int:station_id>/reissue/", office.poster_reissue, name="office_reissue"),
    path("office/<int:station_id>/poster/", office.poster_page, name="office_poster"),
    path("office/<int:station_id>/poster.png", office.poster_png, name="office_poster_png"),
]
