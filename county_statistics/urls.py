from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.screen, name="screen"),
    path("statistics/data/", views.screen_data, name="screen-data"),
    path("statistics/report/", views.report, name="report"),
    path("statistics/report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("statistics/reports/<int:pk>/", views.prepared_report, name="prepared-report"),
    path("statistics/sales/organization/<slug:slug>/", views.organization_sales_detail,
         name="organization-sales"),
    path("statistics/sales/broadcast/<int:pk>/", views.broadcast_sales_detail,
         name="broadcast-sales"),
]
