"""The operator area (not Django's admin) and the staff's approval screens. Views stay thin:
parse a form, call one service, map domain errors to form errors.

Object-level permissions: every object is looked up through `self.operator` (the operator the user
is a member of), so an id of another operator's service, season, rate, rule or photo is a 404.
"""

import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView, TemplateView, UpdateView, View

from marketplace.core.dates import bounded_date, bounded_month, local_today
from marketplace.core.roles import Role, user_has_role

from .channels import (
    ChannelNotFound,
    ChannelRefused,
    channel_held_places,
    channel_provider,
    channel_waiting_requests,
)
from .exceptions import LockTimeout
from .forms import (
    DayForm,
    ICalImportForm,
    MemberForm,
    OperatorDecisionForm,
    OperatorProfileForm,
    OperatorSignupForm,
    PhotoForm,
    RateForm,
    RequestDecisionForm,
    RuleForm,
    SeasonForm,
    ServiceForm,
)
from .models import (
    AvailabilityRule,
    ExternalCalendar,
    Operator,
    OperatorMembership,
    OperatorPhoto,
    Rate,
    Season,
    Service,
    Slot,
)
from .selectors import (
    operator_for_user,
    operator_services,
    service_day_availability,
)
from .services import (
    ICalError,
    calendar_fetch,
    calendar_import_ical,
    day_update,
    operator_invitation_accept,
    operator_invitation_for_token,
    operator_invitation_refusal,
    operator_member_invite,
    operator_member_remove,
    operator_photo_add,
    operator_set_status,
    operator_signup,
    rule_generate_slots,
    slot_update,
)


class OperatorAreaMixin(LoginRequiredMixin):
    """The request's operator (`self.operator`); users without one are sent to the sign-up."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.operator = operator_for_user(user=request.user)
        if self.operator is None:
            return redirect("operator-area:signup")
        return super().dispatch(request, *args, **kwargs)

    def get_service(self) -> Service:
        return get_object_or_404(Service, pk=self.kwargs["service_pk"], operator=self.operator)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operator"] = self.operator
        return context


class RequestListView(OperatorAreaMixin, TemplateView):
    """On-request bookings of the operator's services waiting for its answer (trade partners' today)."""

    template_name = "operators/request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requests"] = channel_waiting_requests(operator=self.operator)
        context["form"] = kwargs.get("form") or RequestDecisionForm()
        return context


class RequestDecideView(OperatorAreaMixin, View):
    """Confirm or decline one waiting request. Another operator's request (or an unknown channel) is a
    404 and nothing changes: the provider looks the request up among this operator's own."""

    def post(self, request, channel, pk):
        provider = channel_provider(channel)
        if provider is None:
            raise Http404
        form = RequestDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("operator-area:request-list")
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            provider.decide(operator=self.operator, request_id=pk, confirm=confirm,
                            reason=form.cleaned_data["reason"], by=request.user)  # fmt: skip
        except ChannelNotFound:
            raise Http404 from None
        except ChannelRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Booking confirmed: the partner is told.") if confirm
                             else _("Booking declined: the partner is told and the places are free again."))  # fmt: skip
        return redirect("operator-area:request-list")


class OperatorSignupView(LoginRequiredMixin, FormView):
    template_name = "operators/signup.html"
    form_class = OperatorSignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and operator_for_user(user=request.user):
            return redirect("operator-area:home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
        try:
            operator_signup(user=self.request.user, data=data, photo=form.cleaned_data.get("photo"))
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: the DMC staff will review your application."))
        return redirect("operator-area:home")


class OperatorProfileUpdateView(OperatorAreaMixin, UpdateView):
    template_name = "operators/profile.html"
    form_class = OperatorProfileForm

    def get_object(self, queryset=None):
        return self.operator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photos"] = self.operator.photos.all()
        context["photo_form"] = PhotoForm()
        return context

    def get_success_url(self):
        messages.success(self.request, _("Profile saved."))
        return reverse("operator-area:profile")


class OperatorPhotoCreateView(OperatorAreaMixin, FormView):
    template_name = "operators/photo_form.html"
    form_class = PhotoForm

    def form_valid(self, form):
        try:
            operator_photo_add(operator=self.operator, upload=form.cleaned_data["image"],
                               caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as error:
            form.add_error("image", error)
            return self.form_invalid(form)
        return redirect("operator-area:profile")


class OperatorPhotoDeleteView(OperatorAreaMixin, View):
    def post(self, request, pk):
        photo = get_object_or_404(OperatorPhoto, pk=pk, operator=self.operator)
        photo.image.delete(save=False)
        photo.delete()
        return redirect("operator-area:profile")


class OperatorTeamView(OperatorAreaMixin, FormView):
    """The people who work for the operator and the invitations still open; owners invite and remove."""

    template_name = "operators/team.html"
    form_class = MemberForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.operator.memberships.select_related("user").order_by("role", "user__email")
        context["is_owner"] = self.operator.memberships.filter(user=self.request.user, role="owner").exists()
        context["invitations"] = self.operator.invitations.filter(accepted_at__isnull=True,
                                                                  expires_at__gt=timezone.now()).order_by("email")  # fmt: skip
        context["can_invite"] = self.operator.status == Operator.Status.APPROVED
        return context

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        try:
            operator_member_invite(operator=self.operator, email=email, role=form.cleaned_data["role"],
                                   by=self.request.user, language=translation.get_language())  # fmt: skip
        except ValidationError as error:
            form.add_error("email" if hasattr(error, "error_dict") else None, error.messages)
            return self.form_invalid(form)
        # The same words whether the address has an account or not.
        messages.success(self.request, _("Invitation sent to %(email)s: they join once they accept it.") % {
            "email": email})  # fmt: skip
        return redirect("operator-area:team")


class OperatorInvitationAcceptView(LoginRequiredMixin, TemplateView):
    """The emailed link: the invited person, logged in (or just signed up) with the invited address,
    accepts the invitation. Anyone else, DMC staff or an expired link get a message and nothing changes."""

    template_name = "operators/invitation_accept.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = operator_invitation_for_token(token=self.kwargs["token"])
        context["invitation"] = invitation
        # Said before the button, not after a click: an expired link or the wrong account shows why.
        context.setdefault("error", operator_invitation_refusal(invitation=invitation, user=self.request.user))
        return context

    def post(self, request, token):
        try:
            membership = operator_invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            context = self.get_context_data(error=" ".join(error.messages))
            return self.render_to_response(context, status=400)
        messages.success(request, _("Welcome to the team of %(name)s.") % {"name": membership.operator.name})
        return redirect("operator-area:home")


class OperatorMemberDeleteView(OperatorAreaMixin, View):
    def post(self, request, pk):
        membership = get_object_or_404(OperatorMembership, pk=pk, operator=self.operator)
        try:
            operator_member_remove(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("operator-area:team" if membership.user != request.user else "operator-area:home")


class ServiceListView(OperatorAreaMixin, ListView):
    template_name = "operators/service_list.html"
    context_object_name = "services"

    def get_queryset(self):
        return operator_services(operator=self.operator)


class ServiceCreateView(OperatorAreaMixin, FormView):
    template_name = "operators/service_form.html"
    form_class = ServiceForm

    def form_valid(self, form):
        service = form.save(commit=False)
        service.operator = self.operator
        service.save()
        messages.success(self.request, _("Service saved: now give it prices and availability."))
        return redirect("operator-area:service-rates", service_pk=service.pk)


class ServiceUpdateView(OperatorAreaMixin, UpdateView):
    template_name = "operators/service_form.html"
    form_class = ServiceForm
    pk_url_kwarg = "service_pk"

    def get_object(self, queryset=None):
        return self.get_service()

    def get_success_url(self):
        messages.success(self.request, _("Service saved."))
        return reverse("operator-area:service-list")


class ServiceRatesView(OperatorAreaMixin, FormView):
    """Seasons with their prices; the form adds a season."""

    template_name = "operators/service_rates.html"
    form_class = SeasonForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_service()
        context["service"] = service
        context["seasons"] = service.seasons.prefetch_related("rates")
        return context

    def form_valid(self, form):
        service = self.get_service()
        season = form.save(commit=False)
        season.service = service
        season.save()
        return redirect("operator-area:service-rates", service_pk=service.pk)


class SeasonDeleteView(OperatorAreaMixin, View):
    def post(self, request, pk):
        season = get_object_or_404(Season, pk=pk, service__operator=self.operator)
        season.delete()
        return redirect("operator-area:service-rates", service_pk=season.service_id)


class RateCreateView(OperatorAreaMixin, FormView):
    template_name = "operators/rate_form.html"
    form_class = RateForm

    def get_season(self) -> Season:
        return get_object_or_404(Season, pk=self.kwargs["season_pk"], service__operator=self.operator)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "season": self.get_season()}

    def form_valid(self, form):
        rate = form.save(commit=False)
        rate.season = form.season
        rate.save()
        return redirect("operator-area:service-rates", service_pk=form.season.service_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["season"] = self.get_season()
        return context


class RateDeleteView(OperatorAreaMixin, View):
    def post(self, request, pk):
        rate = get_object_or_404(Rate.objects.select_related("season"), pk=pk, season__service__operator=self.operator)
        rate.delete()
        return redirect("operator-area:service-rates", service_pk=rate.season.service_id)


class ServiceRulesView(OperatorAreaMixin, FormView):
    """The service's availability rules; adding one generates its slots at once."""

    template_name = "operators/service_rules.html"
    form_class = RuleForm

    def get_form_kwargs(self):
        self.service = self.get_service()
        return {**super().get_form_kwargs(), "service": self.service}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["service"] = self.service
        context["rules"] = self.service.rules.all()
        return context

    def form_valid(self, form):
        # The form has checked the rule (capacity included), so it is saved first and its slots are
        # generated outside that transaction: rule_generate_slots locks and commits in short batches,
        # and nested in one transaction it would keep every slot of the rule locked until the end.
        rule = form.save(commit=False)
        rule.service = self.service
        rule.save()
        try:
            result = rule_generate_slots(rule=rule)
        except LockTimeout as error:  # the rule is saved; "Generate" on its row finishes the job
            messages.error(self.request, error.message)
            return redirect("operator-area:service-rules", service_pk=self.service.pk)
        messages.success(
            self.request,
            ngettext("%(n)d date created.", "%(n)d dates created.", result.created) % {"n": result.created},
        )
        return redirect("operator-area:service-rules", service_pk=self.service.pk)


class RuleGenerateView(OperatorAreaMixin, View):
    def post(self, request, pk):
        rule = get_object_or_404(AvailabilityRule, pk=pk, service__operator=self.operator)
        try:
            result = rule_generate_slots(rule=rule)
        except LockTimeout as error:  # some slots may be updated already: running it again finishes
            messages.error(request, error.message)
            return redirect("operator-area:service-rules", service_pk=rule.service_id)
        messages.success(
            request,
            _("%(created)d dates created, %(updated)d updated, %(kept)d kept as they were (booked or set by hand).")
            % {"created": result.created, "updated": result.updated, "kept": result.kept},
        )
        return redirect("operator-area:service-rules", service_pk=rule.service_id)


class RuleDeleteView(OperatorAreaMixin, View):
    """Deleting a rule keeps its slots (and their bookings); it only stops generating more."""

    def post(self, request, pk):
        rule = get_object_or_404(AvailabilityRule, pk=pk, service__operator=self.operator)
        rule.delete()
        return redirect("operator-area:service-rules", service_pk=rule.service_id)


def _month(kwargs) -> dt.date:
    today = local_today()
    first = bounded_month(int(kwargs.get("year", today.year)), int(kwargs.get("month", today.month)))
    if first is None:
        raise Http404
    return first


class ServiceCalendarView(OperatorAreaMixin, TemplateView):
    """A month: each day's capacity, held, booked and free places, with close/re-open/resize."""

    template_name = "operators/service_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_service()
        first = _month(self.kwargs)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        previous, following = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        days = service_day_availability(service_ids=[service.pk], start=first, end=last).get(service.pk, {})
        # Places other channels hold for someone (partners' allotments): one query for the month.
        held = channel_held_places(slot_ids=[s.slot_id for day in days.values() for s in day.slots])
        by_day = {d: [h for s in day.slots for h in held.get(s.slot_id, [])] for d, day in days.items()}
        weeks = [
            [
                {"date": d, "in_month": d.month == first.month, "day": days.get(d), "held_for": by_day.get(d, [])}
                for d in week
            ]  # fmt: skip
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        ]
        context.update(
            service=service,
            month=first,
            weeks=weeks,
            previous=bounded_month(previous.year, previous.month),  # None beyond the window: no link
            next=bounded_month(following.year, following.month),
            day_form=DayForm(),
            weekday_names=[_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            external_calendars=service.external_calendars.all(),
        )
        return context


class ServiceDayUpdateView(OperatorAreaMixin, View):
    """Close, re-open or resize one day (or one of its slots) of the calendar."""

    def post(self, request, service_pk, date):
        service = self.get_service()
        day = bounded_date(date)
        if day is None:
            raise Http404
        form = DayForm(request.POST)
        target = reverse("operator-area:service-calendar-month", args=[service.pk, day.year, day.month])
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(target)
        action, capacity, slot_id = (form.cleaned_data[k] for k in ("action", "capacity", "slot"))
        changes = {"closed": True} if action == "close" else {"closed": False} if action == "open" else {}
        if action == "capacity":
            changes["capacity"] = capacity
        try:
            if slot_id:
                slot = get_object_or_404(Slot, pk=slot_id, service=service, date=day)
                slot_update(slot=slot, **changes)
            else:
                day_update(service=service, on=day, **changes)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except LockTimeout as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(day)s updated.") % {"day": day.strftime("%d/%m/%Y")})
        return HttpResponseRedirect(target)


class ServiceICalImportView(OperatorAreaMixin, FormView):
    """Import an external calendar (URL or .ics file): its dates are blocked, replacing the last import."""

    template_name = "operators/service_ical.html"
    form_class = ICalImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["service"] = self.get_service()
        context["calendars"] = context["service"].external_calendars.prefetch_related("blocks")
        return context

    def form_valid(self, form):
        service = self.get_service()
        url = form.cleaned_data.get("url") or ""
        calendar_row = ExternalCalendar.objects.filter(service=service, url=url).first() or ExternalCalendar(
            service=service, url=url
        )
        try:
            content = calendar_fetch(url=url) if url else form.cleaned_data["file"].read()  # outside any transaction
            with transaction.atomic():
                calendar_row.save()
                count = calendar_import_ical(calendar=calendar_row, content=content)
        except ICalError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext("%(n)d booked period imported and blocked.", "%(n)d booked periods imported and blocked.", count)
            % {"n": count},
        )
        return redirect("operator-area:service-calendar", service_pk=service.pk)


class StaffRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, Role.STAFF):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffOperatorListView(StaffRequiredMixin, ListView):
    template_name = "operators/staff_operator_list.html"
    context_object_name = "operators"

    def get_queryset(self):
        status = self.request.GET.get("status", Operator.Status.PENDING)
        rows = Operator.objects.order_by("-created_at")
        return rows.filter(status=status) if status in Operator.Status.values else rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Operator.Status.choices
        context["current_status"] = self.request.GET.get("status", Operator.Status.PENDING)
        return context


class StaffOperatorDecideView(StaffRequiredMixin, FormView):
    template_name = "operators/staff_operator_decide.html"
    form_class = OperatorDecisionForm

    def get_operator(self) -> Operator:
        return get_object_or_404(Operator, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.get_operator()
        return context

    def form_valid(self, form):
        operator = self.get_operator()
        try:
            operator_set_status(operator=operator, status=form.cleaned_data["status"],
                                reason=form.cleaned_data["reason"], by=self.request.user)  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is now %(status)s; the operator has been emailed.")
                         % {"name": operator.name, "status": operator.get_status_display()})  # fmt: skip
        return redirect("operator-area:staff-operator-list")
