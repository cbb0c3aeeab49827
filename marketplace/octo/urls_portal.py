"""The portal's API pages under /<lang>/trade/api/, namespace "octo-portal" (views_portal.py)."""

from django.urls import path

from . import views_portal as views

app_name = "octo-portal"
urlpatterns = [
    path("keys/", views.ApiKeysView.as_view(), name="api-keys"),
    path("keys/<int:pk>/revoke/", views.ApiKeyRevokeView.as_view(), name="api-keys-revoke"),
    path("webhooks/", views.WebhooksView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", views.WebhookEditView.as_view(), name="webhooks-edit"),
    path("webhooks/<int:pk>/delete/", views.WebhookDeleteView.as_view(), name="webhooks-delete"),
    path("webhooks/secret/rotate/", views.WebhookSecretRotateView.as_view(), name="webhooks-rotate"),
    path(
        "webhooks/deliveries/<int:pk>/send-again/", views.DeliverySendAgainView.as_view(), name="webhooks-send-again"
    ),  # fmt: skip
]
