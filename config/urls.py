from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from gaoxin.core.views_home import PhoneLoginView, PhoneLogoutView, home

admin.site.site_header = settings.GAOXIN_SITE_TITLE
admin.site.site_title = settings.GAOXIN_SITE_TITLE
admin.site.index_title = settings.GAOXIN_SITE_TITLE

urlpatterns = [
    path("", home, name="home"),
    path("login/", PhoneLoginView.as_view(), name="login"),
    path("logout/", PhoneLogoutView.as_view(), name="logout"),  # POST, from every page's header
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/", include("gaoxin.core.urls")),
    path("office/", include("gaoxin.registry.urls")),
    path("stations/", include("gaoxin.stations.urls")),
    path("", include("gaoxin.stations.urls_short")),
    path("welfare/", include("gaoxin.welfare.urls")),
    path("activities/", include("gaoxin.activities.urls")),
    path("cases/", include("gaoxin.cases.urls")),
    path("party/", include("gaoxin.party.urls")),
]
