"""Alipay's callbacks: the server-to-server notice and the buyer's return page."""

from django.urls import path

from . import views

urlpatterns = [
    path("alipay/notify/", views.alipay_notify, name="alipay-notify"),
    path("alipay/return/", views.alipay_return, name="alipay-return"),
]
