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
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView, TemplateView, UpdateView, View

from marketplace.core.dates import bounded_date, bounded_month, format_day, local_today
from marketplace.core.history import history_for
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
    AddPriceColumnForm,
    DayForm,
    ICalImportForm,
    MemberForm,
    OperatorDecisionForm,
    OperatorProfileForm,
    OperatorSignupForm,
    PhotoForm,
    RequestDecisionForm,
    RuleForm,
    SeasonCopyForm,
    SeasonForm,
    SeasonPricesForm,
    ServiceForm,
)
from .models import (
    AvailabilityRule,
    Operator,
    OperatorMembership,
    OperatorPhoto,
    Season,
    Service,
    Slot,
)
from .prices import season_copy_to_next_year, season_create, season_delete, season_price_columns, season_prices_save
from .selectors import (
    operator_for_user,
    operator_services,
    service_day_availability,
)
from .services import (
    ICalError,
    calendar_import,
    day_update,
    operator_invitation_accept,
    operator_invitation_for_token,
    operator_invitation_refusal,
    operator_may_sell,
    operator_member_invite,
    operator_member_remove,
    operator_photo_add,
    operator_photo_delete,
    operator_profile_save,
    operator_set_status,
    operator_signup,
    rule_create,
    rule_delete,
    rule_generate_slots,
    service_save,
    slot_update,
)


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where it names one the form has, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
        context["history"] = history_for(tags={"operator": self.operator.pk}, limit=30)
        return context

    def form_valid(self, form):
        operator_profile_save(operator=form.instance)
        messages.success(self.request, _("Profile saved."))
        return redirect("operator-area:profile")


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
        operator_photo_delete(photo=get_object_or_404(OperatorPhoto, pk=pk, operator=self.operator))
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


class ServiceFormMixin:
    """The service form, saved through `service_save` (a pending operator's services stay off sale)."""

    template_name = "operators/service_form.html"
    form_class = ServiceForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_sell": operator_may_sell(self.operator)}

    def save(self, form):
        try:
            return service_save(operator=self.operator, service=form.instance)
        except ValidationError as error:
            add_errors(form, error)
            return None


class ServiceCreateView(OperatorAreaMixin, ServiceFormMixin, FormView):
    def form_valid(self, form):
        service = self.save(form)
        if service is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Service saved: now give it prices and availability."))
        return redirect("operator-area:service-rates", service_pk=service.pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Service(operator=self.operator)}


class ServiceUpdateView(OperatorAreaMixin, ServiceFormMixin, UpdateView):
    """The service's details, and the history of the service with its seasons, prices, rules and dates."""

    pk_url_kwarg = "service_pk"

    def get_object(self, queryset=None):
        return self.get_service()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_for(tags={"service": self.object.pk})
        return context

    def form_valid(self, form):
        if self.save(form) is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Service saved."))
        return redirect("operator-area:service-list")


class ServiceRatesView(OperatorAreaMixin, FormView):
    """Seasons with their prices; the form adds a season."""

    template_name = "operators/service_rates.html"
    form_class = SeasonForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_service()
        context["service"] = service
        context["seasons"] = service.seasons.prefetch_related("rates")
        context["history"] = history_for(tags={"service": service.pk}, limit=30)
        return context

    def form_valid(self, form):
        season = season_create(service=self.get_service(), **form.cleaned_data)
        messages.success(self.request, _("Season added: now give it its prices."))
        return redirect("operator-area:season-prices", pk=season.pk)


class SeasonDeleteView(OperatorAreaMixin, View):
    def post(self, request, pk):
        season = get_object_or_404(Season, pk=pk, service__operator=self.operator)
        season_delete(season=season)
        return redirect("operator-area:service-rates", service_pk=season.service_id)


class SeasonMixin(OperatorAreaMixin):
    def get_season(self) -> Season:
        return get_object_or_404(Season.objects.select_related("service"), pk=self.kwargs["pk"],
                                 service__operator=self.operator)  # fmt: skip


class SeasonPricesView(SeasonMixin, FormView):
    """A season's prices on one screen: a row per category, a column for every day and one per set of
    weekdays with its own price (`?add=56` opens a column). Saved all together or, on any wrong cell,
    not at all (operators.prices.season_prices_save)."""

    template_name = "operators/season_prices.html"
    form_class = SeasonPricesForm

    def get_form_kwargs(self):
        self.season = self.get_season()
        add = AddPriceColumnForm(self.request.GET or None)
        self.add_form = add if self.request.GET else AddPriceColumnForm()
        extra = [add.cleaned_data["add"]] if self.request.GET and add.is_valid() else []
        extra += [w for w in self.request.POST.getlist("column") if w.isdigit()]  # columns opened, still empty
        columns = season_price_columns(season=self.season, extra=extra)
        return {**super().get_form_kwargs(), "season": self.season, "columns": columns}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(season=self.season, service=self.season.service, add_form=self.add_form,
                       copy_form=SeasonCopyForm(),
                       history=history_for(tags={"service": self.season.service_id}, limit=30))  # fmt: skip
        return context

    def form_valid(self, form):
        try:
            changed = season_prices_save(season=self.season, prices=form.prices())
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ngettext("%(n)d price changed.", "%(n)d prices changed.", changed)
                         % {"n": changed})  # fmt: skip
        return redirect("operator-area:season-prices", pk=self.season.pk)


class SeasonCopyView(SeasonMixin, View):
    """Copy a season to next year with a percentage change. A refusal (an overlapping season, a
    percentage out of range) comes back to the season's page as a message; nothing is written then."""

    def post(self, request, pk):
        season = self.get_season()
        form = SeasonCopyForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            copy = season_copy_to_next_year(season=season, percent=form.cleaned_data["percent"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("operator-area:season-prices", pk=season.pk)
        messages.success(request, _("Season copied to %(start)s – %(end)s: check its prices.")
                         % {"start": format_day(copy.starts_on), "end": format_day(copy.ends_on)})  # fmt: skip
        return redirect("operator-area:season-prices", pk=copy.pk)


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
        rule = rule_create(service=self.service, rule=form.instance)
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
        rule_delete(rule=rule)
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
            messages.success(request, _("%(day)s updated.") % {"day": format_day(day)})
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
        try:
            count = calendar_import(service=service, url=url, content=None if url else form.cleaned_data["file"].read())
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
        subject = context["subject"]
        services = list(subject.services.values_list("pk", flat=True))
        context["history"] = history_for(tags={"operator": subject.pk, "service": services})
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
