"""Mounted under the language prefix: /<lang>/labels/… (marketplace/urls.py)."""

from django.urls import path

from . import views

app_name = "certifications"

urlpatterns = [
    path("mine/", views.AwardListMineView.as_view(), name="award-list-mine"),
    path("mine/request/", views.AwardRequestView.as_view(), name="award-request"),
    path("mine/<uuid:public_id>/", views.AwardDetailMineView.as_view(), name="award-detail-mine"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("staff/", views.AwardListStaffView.as_view(), name="award-list-staff"),
    path("staff/grant/", views.AwardGrantView.as_view(), name="award-grant"),
    path("staff/<uuid:public_id>/", views.AwardDetailStaffView.as_view(), name="award-detail-staff"),
    path("staff/<uuid:public_id>/verify/", views.AwardDecisionView.as_view(action="verify"), name="award-verify"),
    path("staff/<uuid:public_id>/reject/", views.AwardDecisionView.as_view(action="reject"), name="award-reject"),
    path("staff/<uuid:public_id>/revoke/", views.AwardDecisionView.as_view(action="revoke"), name="award-revoke"),
    path("schemes/<slug:slug>/", views.SchemeDetailView.as_view(), name="scheme-detail"),
    path("<uuid:public_id>/", views.AwardPublicView.as_view(), name="award-public"),
    path("<uuid:public_id>/qr.svg", views.AwardQrCodeView.as_view(), name="award-qr"),
]
