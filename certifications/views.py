"""Thin views: the public award page and its QR code, the holder's area, the staff's decisions."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from marketplace.core.history import history_for
from marketplace.core.origin import public_url

from . import services
from .forms import AwardGrantForm, AwardReasonForm, AwardRequestForm, AwardVerifyForm, EvidenceAddForm
from .models import Award, AwardEvidence, Scheme
from .selectors import (
    award_is_shown,
    award_qs_for_holder,
    award_qs_to_verify,
    award_user_may_view,
    scheme_holders,
)
from .subjects import subject_user_is_holder


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# --- public -----------------------------------------------------------------------------------


class AwardPublicView(DetailView):
    """The page a label links to and its QR code opens: who holds it, issued by whom, until when.

    Requests and rejections do not exist publicly (404). An award that was a label once (expired,
    revoked) answers 410 with a plain "not valid" notice, so a QR sticker left on a door cannot
    keep vouching for it.
    """

    template_name = "certifications/award_public.html"
    context_object_name = "award"

    def get_object(self, queryset=None):
        award = get_object_or_404(
            Award.objects.select_related("scheme", "subject_type"),
            public_id=self.kwargs["public_id"],
            status__in=[Award.Status.VERIFIED, Award.Status.EXPIRED, Award.Status.REVOKED],
        )
        return award

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_valid"] = award_is_shown(award=self.object)
        subject = self.object.subject
        context["subject_url"] = getattr(subject, "get_absolute_url", lambda: None)() if subject else None
        # The holder as the visitor's language names it (a package's or a service's translated title or
        # name) while it exists; the name kept on the award otherwise.
        context["holder"] = (
            getattr(subject, "title", None) or getattr(subject, "name", None) or self.object.subject_name
        )
        return context

    def render_to_response(self, context, **kwargs):
        if not context["is_valid"]:
            kwargs["status"] = 410
        return super().render_to_response(context, **kwargs)


class AwardQrCodeView(View):
    """An SVG QR code of the public page's absolute URL, for the holder to print."""

    def get(self, request, public_id):
        award = get_object_or_404(Award, public_id=public_id, status=Award.Status.VERIFIED)
        url = public_url(award.get_absolute_url())  # printed: the public origin, whatever host asked
        image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
        buffer = io.BytesIO()
        image.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="label-{award.public_id}.svg"'
        return response


class SchemeDetailView(DetailView):
    """A scheme's criteria and the holders whose label is valid today."""

    template_name = "certifications/scheme_detail.html"
    context_object_name = "scheme"

    def get_queryset(self):
        return Scheme.objects.filter(is_active=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holders"] = scheme_holders(scheme=self.object)
        return context


# --- the holder's area (operators) ----------------------------------------------------------------


class AwardListMineView(LoginRequiredMixin, ListView):
    template_name = "certifications/award_list_mine.html"
    context_object_name = "awards"

    def get_queryset(self):
        return award_qs_for_holder(user=self.request.user).order_by("-created_at")


class AwardRequestView(LoginRequiredMixin, FormView):
    template_name = "certifications/award_request.html"
    form_class = AwardRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            award = services.award_request(
                scheme=form.cleaned_data["scheme"],
                subject=form.cleaned_data["subject"],
                user=self.request.user,
                files=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
            )
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Your request has been sent to the DMC."))
        return redirect("certifications:award-detail-mine", public_id=award.public_id)


class HolderAwardMixin(LoginRequiredMixin):
    """The award named in the URL, if the user acts for its subject; 404 otherwise (no hint it exists)."""

    def get_award(self) -> Award:
        award = get_object_or_404(Award.objects.select_related("scheme"), public_id=self.kwargs["public_id"])
        if not subject_user_is_holder(user=self.request.user, subject=award.subject):
            raise Http404
        return award


class AwardDetailMineView(HolderAwardMixin, FormView):
    template_name = "certifications/award_detail_mine.html"
    form_class = EvidenceAddForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.award = self.get_award()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(award=self.award, is_valid=award_is_shown(award=self.award))
        context["events"] = self.award.events.select_related("actor")
        context["evidence"] = self.award.evidence.all()
        return context

    def form_valid(self, form):
        try:
            services.award_evidence_add(award=self.award, user=self.request.user, files=form.cleaned_data["evidence"])
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Evidence added."))
        return redirect("certifications:award-detail-mine", public_id=self.award.public_id)


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Evidence is private: served only to the holder's members and the verifying staff."""

    def get(self, request, pk):
        evidence = get_object_or_404(AwardEvidence.objects.select_related("award"), pk=pk)
        if not award_user_may_view(award=evidence.award, user=request.user):
            raise Http404
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
        extension = evidence.file.name.rsplit(".", 1)[-1]
        response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}.{extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- DMC staff -----------------------------------------------------------------------------------


class StaffMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous visitors go to the login page; logged-in users without the permission get 403."""

    permission_required = "certifications.verify_award"


class AwardListStaffView(StaffMixin, ListView):
    template_name = "certifications/award_list_staff.html"
    context_object_name = "awards"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", Award.Status.REQUESTED)
        if status == "all":
            return Award.objects.select_related("scheme").order_by("-updated_at")
        if status not in Award.Status.values:
            status = Award.Status.REQUESTED
        if status == Award.Status.REQUESTED:
            return award_qs_to_verify()
        return Award.objects.filter(status=status).select_related("scheme").order_by("-updated_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Award.Status.choices
        context["current_status"] = self.request.GET.get("status", Award.Status.REQUESTED)
        return context


class AwardDetailStaffView(StaffMixin, TemplateView):
    template_name = "certifications/award_detail_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        award = get_object_or_404(Award.objects.select_related("scheme"), public_id=self.kwargs["public_id"])
        context.update(
            award=award,
            is_valid=award_is_shown(award=award),
            events=award.events.select_related("actor"),
            history=history_for(objects=[award]),
            evidence=award.evidence.all(),
            verify_form=kwargs.get("verify_form")
            or AwardVerifyForm(initial={"reference": award.reference, "awarded_on": timezone.localdate()}),
            reason_form=kwargs.get("reason_form") or AwardReasonForm(),
            is_holder=subject_user_is_holder(user=self.request.user, subject=award.subject),
        )
        return context


class AwardDecisionView(StaffMixin, View):
    """POST-only: verify, reject or revoke. Domain errors come back as form errors on the detail page."""

    action: str = ""

    def post(self, request, public_id):
        award = get_object_or_404(Award, public_id=public_id)
        detail = AwardDetailStaffView(request=request, kwargs={"public_id": public_id})
        detail.setup(request, public_id=public_id)
        if self.action == "verify":
            form = AwardVerifyForm(request.POST)
            form_key = "verify_form"
        else:
            form = AwardReasonForm(request.POST)
            form_key = "reason_form"
        if form.is_valid():
            try:
                if self.action == "verify":
                    services.award_verify(award=award, user=request.user, **form.cleaned_data)
                elif self.action == "reject":
                    services.award_reject(award=award, user=request.user, reason=form.cleaned_data["reason"])
                else:
                    services.award_revoke(award=award, user=request.user, reason=form.cleaned_data["reason"])
            except services.CertificationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Done: the label is now “%(status)s”.") % {"status": _status_label(award)})
                return redirect("certifications:award-detail-staff", public_id=public_id)
        context = detail.get_context_data(**{form_key: form})
        return detail.render_to_response(context, status=400)


def _status_label(award: Award) -> str:
    award.refresh_from_db(fields=["status"])
    return award.get_status_display()


class AwardGrantView(StaffMixin, FormView):
    template_name = "certifications/award_grant.html"
    form_class = AwardGrantForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            award = services.award_grant(
                scheme=data["scheme"],
                subject=data["subject"],
                user=self.request.user,
                awarded_on=data["awarded_on"],
                expires_on=data["expires_on"],
                reference=data["reference"],
                reason=data["reason"],
            )
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Label awarded."))
        return redirect(reverse("certifications:award-detail-staff", kwargs={"public_id": award.public_id}))
