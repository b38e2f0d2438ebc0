"""Product image thumbnails, made on first request."""

from django.urls import path

from . import views

urlpatterns = [
    path("thumbnail/<int:media_id>/<int:size>/<str:fmt>/", views.thumbnail, name="thumbnail"),
]
