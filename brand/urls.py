"""Public pages of the brand app: the register of licensees, public notices (with the
objection form) and the licence verification page the certificate's QR opens; the licence
agreement, for its two parties only."""

from django.urls import path

from . import views

app_name = "brand"
urlpatterns = [
    path("brand/", views.register, name="register"),
    path("brand/notices/", views.notices, name="notices"),
    path("brand/notices/<int:pk>/", views.notice_detail, name="notice"),
    path("brand/licences/<str:number>/certificate.pdf", views.certificate, name="certificate"),
    path("brand/licences/<str:number>/agreement.pdf", views.agreement, name="agreement"),
    path("brand/licences/<str:number>", views.licence_page, name="licence"),
    path("brand/documents/<int:pk>", views.document, name="document"),
]
