"""The staff's pages for API keys and webhook deliveries, in the Wagtail admin's Trade menu
(wagtail_hooks.py). Keys are made by api_key_create (the secret shown once, on the answer to the POST),
revoked by api_key_revoke, their rate limit set by api_key_set_rate_limit; a delivery is sent again by
webhook_send_again. No key or delivery is deleted from here."""

from __future__ import annotations

import json

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.widgets import ListingButton

from marketplace.trade.admin_views import StaffFormView
from marketplace.trade.forms_admin import ConfirmForm
from marketplace.trade.models import TradePartner

from .keys import RATE_LIMIT_MAX, api_key_create, api_key_revoke, api_key_set_rate_limit
from .models import ApiKey, Webhook, WebhookDelivery
from .webhooks import webhook_can_send_again, webhook_send_again

# API keys


class ApiKeyFilterSet(WagtailFilterSet):
    partner = django_filters.ModelChoiceFilter(label=gettext_lazy("Partner"), queryset=TradePartner.objects.all())
    revoked = django_filters.BooleanFilter(label=gettext_lazy("Revoked"), field_name="revoked_at",
                                           lookup_expr="isnull", exclude=True)  # fmt: skip
    test_mode = django_filters.BooleanFilter(label=gettext_lazy("Test mode"))

    class Meta:
        model = ApiKey
        fields = ["partner", "revoked", "test_mode"]


class ApiKeyCreateForm(WagtailAdminModelForm):
    class Meta:
        model = ApiKey
        fields = ["partner", "name", "test_mode", "rate_limit_per_minute"]

    def clean_rate_limit_per_minute(self):
        value = self.cleaned_data["rate_limit_per_minute"]
        if not 1 <= value <= RATE_LIMIT_MAX:
            raise ValidationError(_("Between 1 and %(max)s requests a minute.") % {"max": f"{RATE_LIMIT_MAX:,}"})
        return value


class ApiKeyEditForm(ApiKeyCreateForm):
    class Meta:
        model = ApiKey
        fields = ["name", "rate_limit_per_minute"]


class ApiKeyIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None:
            buttons.append(ListingButton(_("Revoke"), url=self.revoke_url(instance), icon_name="cross", priority=50))
        return buttons

    def revoke_url(self, instance):
        return reverse("octo_api_keys:revoke", args=[instance.pk])


class ApiKeyCreateView(CreateView):
    """api_key_create, then the secret on this answer (status 201, not cached), never again."""

    def form_valid(self, form):
        data = form.cleaned_data
        key, secret = api_key_create(partner=data["partner"], name=data["name"], test_mode=data["test_mode"],
                                     rate_limit_per_minute=data["rate_limit_per_minute"], by=self.request.user)  # fmt: skip
        self.template_name = "octo/admin/api_key_created.html"
        context = self.get_context_data(form=form)
        context.update(key=key, secret=secret, index_url=reverse("octo_api_keys:index"))
        response = self.render_to_response(context, status=201)
        add_never_cache_headers(response)
        return response


class ApiKeyEditView(EditView):
    """Only the name and the rate limit change (api_key_set_rate_limit); the secret and partner never."""

    def save_instance(self):
        key = self.form.save(commit=False)
        api_key_set_rate_limit(key=key, rate_limit_per_minute=self.form.cleaned_data["rate_limit_per_minute"])
        ApiKey.objects.filter(pk=key.pk).update(name=key.name)
        return key


class ApiKeyRevokeView(StaffFormView):
    model = ApiKey
    permission = "octo.change_apikey"
    index_url_name = "octo_api_keys:index"
    template_name = "octo/admin/api_key_revoke.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Revoke an API key")
    header_icon = "key"

    def get_queryset(self):
        return ApiKey.objects.select_related("partner")

    def form_valid(self, form):
        if self.object.revoked_at is None:
            api_key_revoke(key=self.object, by=self.request.user)
            messages.success(self.request, _("The key %(name)s is revoked: requests with it are refused.")
                             % {"name": self.object})  # fmt: skip
        return redirect("octo_api_keys:index")


# Webhook deliveries


class DeliveryFilterSet(WagtailFilterSet):
    webhook__partner = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Partner"), queryset=TradePartner.objects.all()
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=WebhookDelivery.Status.choices)
    event = django_filters.ChoiceFilter(label=gettext_lazy("Event"), choices=Webhook.Event.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["webhook__partner", "status", "event"]


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("webhook__partner", "booking")

    def get_edit_url(self, instance):
        return reverse("octo_deliveries:detail", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return [ListingButton(_("Details and send again"), url=self.get_edit_url(instance), icon_name="view",
                              priority=10)]  # fmt: skip


class DeliveryDetailView(StaffFormView):
    model = WebhookDelivery
    permission = "octo.change_webhookdelivery"
    index_url_name = "octo_deliveries:index"
    template_name = "octo/admin/delivery_detail.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Webhook delivery")
    header_icon = "resubmit"

    def get_queryset(self):
        return WebhookDelivery.objects.select_related("webhook__partner", "booking")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["payload"] = json.dumps(json.loads(self.object.payload), indent=2, ensure_ascii=False)
        except ValueError:
            context["payload"] = self.object.payload
        context["can_send_again"] = webhook_can_send_again(delivery=self.object)
        return context

    def form_valid(self, form):
        try:
            webhook_send_again(delivery=self.object)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, _("Sent again: see its status below."))
        return redirect("octo_deliveries:detail", self.object.pk)
