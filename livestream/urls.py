"""Public pages of the livestream app: the schedule, and the sales detail exports."""

from django.urls import path

from . import views

app_name = "livestream"
urlpatterns = [
    path("live/", views.schedule_page, name="schedule"),
    path("live/broadcasts/<int:pk>/sales.csv", views.sales_csv, name="sales-csv"),
    path("live/broadcasts/<int:pk>/sales.xlsx", views.sales_xlsx, name="sales-xlsx"),
]
