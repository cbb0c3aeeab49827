"""The staff's upload page for the official flows, in Wagtail's admin (wagtail_hooks.py registers it).
The view only hands the file to `flows.flows_import` and shows what it answered: the errors line by line
(nothing kept), or what was imported."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import flows
from .models import OfficialFlow

PERMISSION = "observatory.add_officialflow"


class FlowsUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, columns separated by ; or ,"))


class FlowsImportView(WagtailAdminTemplateMixin, FormView):
    form_class = FlowsUploadForm
    template_name = "observatory/admin/flows_import.html"
    page_title = _("Official flows")
    header_icon = "upload"
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = OfficialFlow.objects.aggregate(rows=Count("id"), first=Min("month"), last=Max("month"),
                                                municipalities=Count("municipality", distinct=True))  # fmt: skip
        context.update(columns=flows.COLUMNS, stored=stored, max_errors=flows.MAX_ERRORS)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = flows.flows_import(upload, source_name=upload.name)
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result),
                                       status=200 if result.ok else 422)  # fmt: skip
