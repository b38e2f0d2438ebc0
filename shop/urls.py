"""Alipay's callbacks (the server-to-server notice and the buyer's return page) and the
signed addresses of private files kept on the local file system."""

from django.urls import path

from . import private_files, views

urlpatterns = [
    path("alipay/notify/", views.alipay_notify, name="alipay-notify"),
    path("alipay/return/", views.alipay_return, name="alipay-return"),
    path("private/<str:token>/", private_files.serve, name="private-file"),
]
