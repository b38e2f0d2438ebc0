"""Public pages of the supplychain app: the trace page (and its JSON, QR images and EPCIS
export), the GS1 Digital Link resolver, the touch-screen kiosk, the address texted codes
are pushed to, and label sheets for the producer."""

from django.urls import path, re_path

from . import documents, kiosk, sms_inbound, views

app_name = "supplychain"
urlpatterns = [
    path("t/<str:code>.json", views.trace_json, name="trace-json"),
    path("t/<str:code>/qr.png", views.trace_qr_png, name="trace-qr-png"),
    path("t/<str:code>/qr.svg", views.trace_qr_svg, name="trace-qr-svg"),
    path("t/<str:code>/epcis.jsonld", views.trace_epcis, name="trace-epcis"),
    path("t/<str:code>", views.trace_page, name="trace"),
    re_path(r"^01/(?P<gtin>\d{8,14})/10/(?P<lot>[!-.0-~]{1,20})/21/(?P<serial>[!-.0-~]{1,20})/?$",
            views.digital_link, name="digital-link"),
    path("kiosk/", kiosk.idle, name="kiosk"),
    path("kiosk/t/<str:code>", kiosk.story, name="kiosk-trace"),
    path("sms/inbound/<str:token>/", sms_inbound.sms_inbound, name="sms-inbound"),
    path("supplychain/runs/<int:run_id>/labels.pdf", views.label_sheet, name="label-sheet"),
    path("supplychain/inspections/<int:pk>/report", documents.inspection_report,
         name="inspection-report"),
]
