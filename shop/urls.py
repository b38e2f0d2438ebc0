from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from api.core.views import GraphQLView
from catalog import views as catalog_views
from shop import views as shop_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True)), name="graphql"),
    path(
        "thumbnail/<int:media_id>/<int:size>/<str:fmt>/",
        catalog_views.thumbnail,
        name="thumbnail",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("alipay/notify/", shop_views.alipay_notify, name="alipay-notify"),
    path("alipay/return/", shop_views.alipay_return, name="alipay-return"),
    path("", include("supplychain.urls")),
    path("", include("brand.urls")),
    path("", include("livestream.urls")),
    # Last: the shopper's pages must not shadow anything above.
    path("", include("storefront.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
