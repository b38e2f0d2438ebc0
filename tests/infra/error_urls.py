"""A URLconf with a view that fails, for the 500 page test."""

from django.urls import path


def boom(request):
    raise RuntimeError("connection to /var/run/postgresql/.s.PGSQL.5432 failed")


urlpatterns = [path("boom/", boom)]
