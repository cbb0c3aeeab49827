"""The partner portal's API pages (/<lang>/trade/api/): API keys and webhooks, for the partner's
administrators only (bookers get 403 and do not see the tabs).

Thin views on keys.py and webhooks.py. Every key, webhook and delivery is looked up through the
request's partner, so another partner's id is a 404. A new key's secret is shown on the answer to the
POST that made it and nowhere else (not stored, never in a URL or the session); pages showing secrets are
not cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from marketplace.trade.views_portal import PortalMixin

from .forms import ApiKeyForm, WebhookForm, form_add_errors
from .keys import api_key_create, api_key_revoke
from .models import ApiKey, Webhook, WebhookDelivery
from .webhooks import (
    webhook_can_send_again,
    webhook_delete,
    webhook_save,
    webhook_secret_for,
    webhook_secret_rotate,
    webhook_send_again,
)

DELIVERY_LOG = 50


class AdminPortalMixin(PortalMixin):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get(self, request, *args, **kwargs):
        self.require_api_admin()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_api_admin()
        return super().post(request, *args, **kwargs)

    def require_api_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied(_("Only the partner's administrators manage API keys and webhooks."))

    def page(self, template: str, status: int = 200, **context):
        context.update(partner=self.partner, membership=self.membership, is_admin=self.is_admin)
        return render(self.request, template, context, status=status)


class ApiKeysView(AdminPortalMixin, View):
    def keys(self):
        return ApiKey.objects.filter(partner=self.partner).order_by("revoked_at", "-created_at")

    def on_get(self, request):
        return self.page("octo/portal_api_keys.html", keys=self.keys(), form=ApiKeyForm())

    def on_post(self, request):
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return self.page("octo/portal_api_keys.html", status=400, keys=self.keys(), form=form)
        key, secret = api_key_create(partner=self.partner, name=form.cleaned_data["name"],
                                     test_mode=form.cleaned_data["test_mode"], by=request.user)  # fmt: skip
        # Rendered, not redirected: this answer is the only place the secret ever appears.
        return self.page("octo/portal_api_keys.html", keys=self.keys(), form=ApiKeyForm(), new_key=key,
                         new_secret=secret)  # fmt: skip


class ApiKeyRevokeView(AdminPortalMixin, View):
    def on_post(self, request, pk):
        key = get_object_or_404(ApiKey, pk=pk, partner=self.partner)
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("The key %(name)s is revoked: requests with it are refused.") % {"name": key})
        return redirect("octo-portal:api-keys")


class WebhooksView(AdminPortalMixin, View):
    def context(self, **extra):
        deliveries = WebhookDelivery.objects.filter(webhook__partner=self.partner).select_related("webhook", "booking")
        failed_only = self.request.GET.get("status") == WebhookDelivery.Status.FAILED
        if failed_only:
            deliveries = deliveries.filter(status=WebhookDelivery.Status.FAILED)
        deliveries = list(deliveries.order_by("-created_at", "-pk")[:DELIVERY_LOG])
        for delivery in deliveries:
            delivery.can_send_again = webhook_can_send_again(delivery=delivery)
        return {
            "webhooks": Webhook.objects.filter(partner=self.partner),
            "secret": webhook_secret_for(partner=self.partner),
            "deliveries": deliveries,
            "failed_only": failed_only,
            "delivery_log": DELIVERY_LOG,
            "form": WebhookForm(),
            **extra,
        }

    def on_get(self, request):
        return self.page("octo/portal_webhooks.html", **self.context())

    def on_post(self, request):
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook_save(partner=self.partner, url=form.cleaned_data["url"], events=form.cleaned_data["events"],
                             active=form.cleaned_data["active"], by=request.user)  # fmt: skip
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, _("Webhook added."))
                return redirect("octo-portal:webhooks")
        return self.page("octo/portal_webhooks.html", status=400, **self.context(form=form))


class WebhookEditView(AdminPortalMixin, View):
    def webhook(self, pk) -> Webhook:
        return get_object_or_404(Webhook, pk=pk, partner=self.partner)

    def on_get(self, request, pk):
        webhook = self.webhook(pk)
        form = WebhookForm(initial={"url": webhook.url, "events": webhook.events, "active": webhook.active})
        return self.page("octo/portal_webhook_edit.html", webhook=webhook, form=form)

    def on_post(self, request, pk):
        webhook = self.webhook(pk)
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook_save(partner=self.partner, webhook=webhook, url=form.cleaned_data["url"],
                             events=form.cleaned_data["events"], active=form.cleaned_data["active"])  # fmt: skip
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, _("Webhook saved."))
                return redirect("octo-portal:webhooks")
        return self.page("octo/portal_webhook_edit.html", status=400, webhook=webhook, form=form)


class WebhookDeleteView(AdminPortalMixin, View):
    def on_post(self, request, pk):
        webhook = get_object_or_404(Webhook, pk=pk, partner=self.partner)
        webhook_delete(webhook=webhook)
        messages.success(request, _("Webhook removed."))
        return redirect("octo-portal:webhooks")


class WebhookSecretRotateView(AdminPortalMixin, View):
    def on_post(self, request):
        webhook_secret_rotate(partner=self.partner)
        messages.success(request, _("New signing secret: update your system now, the old one no longer signs."))
        return redirect("octo-portal:webhooks")


class DeliverySendAgainView(AdminPortalMixin, View):
    def on_post(self, request, pk):
        delivery = get_object_or_404(WebhookDelivery.objects.select_related("webhook"), pk=pk,
                                     webhook__partner=self.partner)  # fmt: skip
        try:
            webhook_send_again(delivery=delivery)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Sent again: see its status below."))
        return redirect("octo-portal:webhooks")
