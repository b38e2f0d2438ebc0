"""URLs of the workbench, mounted at ``/work/``: the home, the organisation switcher, the
producer's pages, and the brand (``brand/``) and livestream (``live/``) pages."""

from django.urls import include, path

from .views import home

app_name = "workbench"
urlpatterns = [
    path("", home.home, name="home"),
    path("switch/", home.switch, name="switch"),
    path("brand/", include("workbench.brand_urls")),
    path("live/", include("workbench.live_urls")),
]
