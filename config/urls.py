"""The root URLconf: each app contributes its own urls.py."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from storefront import language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/to/<str:code>/", language.switch, name="switch-language"),
    path("", include("api.urls")),
    path("", include("catalog.urls")),
    path("", include("shop.urls")),
    path("", include("supplychain.urls")),
    path("", include("brand.urls")),
    path("", include("livestream.urls")),
    path("work/", include("workbench.urls")),
    path("", include("county_statistics.urls")),
    # Last: the shopper's pages must not shadow anything above.
    path("", include("storefront.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
