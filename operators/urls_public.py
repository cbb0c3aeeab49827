"""The operators' public pages on the destination site, under /<lang>/local/ ("operators-public").

Not under /<lang>/operators/: that is the operators' own area (operator-area namespace)."""

from django.urls import path

from . import public_views

app_name = "operators-public"

urlpatterns = [
    path("<slug:slug>/", public_views.OperatorPublicDetailView.as_view(), name="operator"),
    path("<slug:slug>/<int:pk>/", public_views.ServicePublicDetailView.as_view(), name="service"),
]
