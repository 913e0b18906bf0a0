from django.contrib import admin
from django.urls import include, path

from .views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("saker/", include("cases.urls")),
    path("permisjon/", include("permisjon.urls")),
    path("savnet/", include("savnet.urls")),
    path("retur/", include("retur.urls")),
    path("kartlegging/", include("kartlegging.urls")),
    path("", include("mottak.urls")),
]
