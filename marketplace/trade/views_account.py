"""The partner's sign-up, its users and the invitation link. Views stay thin: parse a form, call one
service of trade.partners, map its errors to form errors or messages.

Object-level permissions: every membership is looked up through `self.partner` (the partner the user
works for), so an id of another partner's user is a 404; only administrators change anything.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from .forms_account import PartnerInviteForm, PartnerSignupForm
from .models import PartnerMembership, TradePartner
from .partners import (
    partner_for_user,
    partner_invitation_accept,
    partner_invitation_for_token,
    partner_invitation_refusal,
    partner_member_invite,
    partner_member_remove,
    partner_signup,
)


def partner_home_url() -> str:
    """The portal's home (trade:home, the partners' landing); the users page while the portal is not there."""
    try:
        return reverse("trade:home")
    except NoReverseMatch:
        return reverse("trade:users")


class PartnerAccountMixin(LoginRequiredMixin):
    """The request's membership (`self.membership`) and partner (`self.partner`); users without one are
    sent to the sign-up."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = partner_for_user(request.user)
        if self.membership is None:
            return redirect("trade:join")
        self.partner = self.membership.partner
        self.is_admin = self.membership.role == PartnerMembership.Role.ADMIN
        return super().dispatch(request, *args, **kwargs)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied(_("Only the partner's administrators manage its users."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(partner=self.partner, membership=self.membership, is_admin=self.is_admin)
        return context


class PartnerSignupView(LoginRequiredMixin, FormView):
    """The public application form of a company (after logging in or signing up, as operators do)."""

    template_name = "trade/signup.html"
    form_class = PartnerSignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and partner_for_user(request.user):
            return redirect(partner_home_url())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            partner_signup(user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: the DMC staff will review your application and e-mail you."))
        return redirect(partner_home_url())


class PartnerUsersView(PartnerAccountMixin, TemplateView):
    """The partner's users and the invitations still open; administrators invite and remove."""

    template_name = "trade/users.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.partner.memberships.select_related("user").order_by("role", "user__email")
        admins = [m for m in context["memberships"] if m.role == PartnerMembership.Role.ADMIN]
        context["last_admin_id"] = admins[0].pk if len(admins) == 1 else None
        context["can_invite"] = self.partner.status == TradePartner.Status.APPROVED
        if self.is_admin:
            context["invitations"] = self.partner.invitations.filter(
                accepted_at__isnull=True, expires_at__gt=timezone.now()
            ).order_by("email")
            context.setdefault("form", PartnerInviteForm())
        return context


class PartnerUserInviteView(PartnerAccountMixin, View):
    def post(self, request):
        self.require_admin()
        form = PartnerInviteForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                partner_member_invite(partner=self.partner, email=email, role=form.cleaned_data["role"],
                                      by=request.user, language=translation.get_language())  # fmt: skip
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                # The same words whether the address has an account or not.
                messages.success(request, _("Invitation sent to %(email)s: they join once they accept it.")
                                 % {"email": email})  # fmt: skip
                return redirect("trade:users")
        view = PartnerUsersView(request=request, kwargs={}, args=())
        view.membership, view.partner, view.is_admin = self.membership, self.partner, self.is_admin
        return view.render_to_response(view.get_context_data(form=form), status=400)


class PartnerUserRemoveView(PartnerAccountMixin, View):
    def post(self, request, pk):
        membership = get_object_or_404(PartnerMembership, pk=pk, partner=self.partner)
        self.require_admin()
        try:
            partner_member_remove(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("trade:users")
        if membership.user_id == request.user.pk:
            messages.success(request, _("You no longer work for %(name)s here.") % {"name": self.partner.legal_name})
            return redirect("role-landing")
        messages.success(request, _("%(email)s was removed.") % {"email": membership.user.email})
        return redirect("trade:users")


class PartnerInvitationAcceptView(LoginRequiredMixin, TemplateView):
    """The e-mailed link: the invited person, logged in (or just signed up) with the invited address,
    accepts. Anyone else, DMC staff, an operator's account or an expired link get a message, said before
    the button, and nothing changes."""

    template_name = "trade/invitation_accept.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = partner_invitation_for_token(token=self.kwargs["token"])
        context["invitation"] = invitation
        context.setdefault("error", partner_invitation_refusal(invitation=invitation, user=self.request.user))
        return context

    def post(self, request, token):
        try:
            membership = partner_invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            context = self.get_context_data(error=" ".join(error.messages))
            return self.render_to_response(context, status=400)
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.partner.legal_name})
        return redirect(partner_home_url())
