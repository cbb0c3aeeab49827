"""Signing in and out of the shop's accounts, safely (logout by POST only, lockouts, throttles)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LogoutView as DjangoLogoutView
from django.contrib.auth.views import PasswordResetConfirmView
from django.contrib.auth.views import PasswordResetView as DjangoPasswordResetView
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from oscar.apps.customer.forms import EmailUserCreationForm, PasswordResetForm, generate_username
from oscar.apps.customer.utils import normalise_email
from oscar.apps.customer.views import AccountAuthView, AccountRegistrationView
from oscar.views.decorators import login_forbidden
from wagtail.admin.views.account import LogoutView as WagtailLogoutView
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView

from .tasks import account_send_mail
from .throttle import client_address, throttle_allow


class LogoutView(DjangoLogoutView):
    """Oscar's `customer:logout` logged out on GET, so any page could log a visitor out with an <img>.

    Django's LogoutView answers POST only (GET: 405); Oscar's cookies are dropped as Oscar's view did.
    """

    def get_default_redirect_url(self):
        return resolve_url(settings.OSCAR_HOMEPAGE)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


class AdminLogoutView(WagtailLogoutView):
    """Wagtail's admin logout answers GET with 405 but still deletes the session cookie on the way out,
    which logs the browser out all the same: refuse anything but POST before it runs."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in ("post", "options"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def lockout_username(request, credentials) -> str:
    """The account a login attempt is counted against: Oscar logs in by e-mail, case-insensitively."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, in the site's style and language, with 429 (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


# Password reset and registration ---------------------------------------------------------------


class ThrottledPasswordResetMixin:
    """At most PASSWORD_RESETS_PER_HOUR reset e-mails per address and per e-mail; beyond, the form says so."""

    def form_valid(self, form):
        if not throttle_allow(
            "password-reset",
            client_address(self.request),
            form.cleaned_data["email"],
            limit=settings.PASSWORD_RESETS_PER_HOUR,
        ):
            form.add_error(None, _("Too many password reset requests. Please wait an hour and try again."))
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetView(ThrottledPasswordResetMixin, DjangoPasswordResetView):
    """Oscar's password reset (the shop's accounts), throttled."""

    form_class = PasswordResetForm
    template_name = "oscar/registration/password_reset_form.html"

    def get_success_url(self):
        return reverse("password-reset-done")


class AdminPasswordResetView(ThrottledPasswordResetMixin, WagtailPasswordResetView):
    """Wagtail's admin password reset, throttled the same way."""


password_reset_view = login_forbidden(PasswordResetView.as_view())


class RegistrationForm(EmailUserCreationForm):
    """Oscar's sign-up form with the e-mail only: no "A user with that email address already exists"
    (whether an e-mail has an account is told only to its inbox, private_register), and no password,
    which is chosen once the inbox is proven (ActivateAccountView). A password typed at sign-up would
    belong to whoever typed it: someone signing up first with another person's address could then
    log into the account that person opens."""

    password1 = None
    password2 = None

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


def _send(template: str, email: str, context: dict) -> None:
    """Render in the visitor's language now; the worker sends it after the commit, retrying a mail server
    that refuses (a sign-up never fails, nor leaves half an account, because the mail server is down)."""
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{template}_body.txt", context)
    transaction.on_commit(lambda: account_send_mail.delay(subject, body, email))


def _awaiting_activation(user) -> bool:
    """Signed up and never opened: inactive, no password yet, never logged in. An account staff switched
    off has a password or a last login, and signing up again never reopens it."""
    return not user.is_active and user.last_login is None and not user.has_usable_password()


def private_register(request, form):
    """Register without telling the visitor whether the e-mail already had an account.

    A new e-mail gets an inactive account without a password and a link to choose one, which opens the
    account (proving the inbox is theirs); signing up again before that sends the link again. An e-mail
    with any other account gets a note instead (log in, or reset the password). Every case answers the
    same "check your e-mail" page. Returns None when the address or e-mail is over SIGNUPS_PER_HOUR.
    """
    email = form.cleaned_data["email"]
    if not throttle_allow("signup", client_address(request), email, limit=settings.SIGNUPS_PER_HOUR):
        return None
    User = get_user_model()
    existing = User._default_manager.filter(email__iexact=email).order_by("pk").first()
    context = {"site_url": settings.SITE_URL.rstrip("/"), "DMC_NAME": settings.DMC_NAME}
    if existing is not None and not _awaiting_activation(existing):
        context["login_url"] = reverse("customer:login")
        context["reset_url"] = reverse("password-reset")
        _send("registration_exists", existing.email, context)
    else:
        user = existing
        if user is None:
            user = User(email=email, is_active=False)
            if any(field.name == "username" for field in User._meta.fields):
                user.username = generate_username()
            user.set_unusable_password()
            user.save()
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        context["activate_url"] = reverse("account-activate", args=[uid, default_token_generator.make_token(user)])
        _send("registration_activate", user.email, context)
    return redirect("account-registered")


SIGNUP_REFUSED = gettext_lazy("Too many sign-ups from here. Please wait an hour and try again.")


class PrivateAccountAuthView(AccountAuthView):
    """Oscar's login-or-register page, registering through private_register, and sending staff too to
    the role landing after login.

    Oscar sends every `is_staff` user to its dashboard; our staff work in Wagtail's admin (README,
    "Roles"), and RoleLandingView is the one place that decides where each role lands.
    """

    registration_form_class = RegistrationForm

    def get_login_success_url(self, form):
        return form.cleaned_data["redirect_url"] or reverse(settings.LOGIN_REDIRECT_URL)

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            response = private_register(self.request, form)
            if response is not None:
                return response
            form.add_error(None, SIGNUP_REFUSED)
        return self.render_to_response(self.get_context_data(registration_form=form))


class PrivateAccountRegistrationView(AccountRegistrationView):
    """Oscar's registration page, registering through private_register."""

    form_class = RegistrationForm

    def form_valid(self, form):
        response = private_register(self.request, form)
        if response is not None:
            return response
        form.add_error(None, SIGNUP_REFUSED)
        return self.form_invalid(form)


class RegisteredView(generic.TemplateView):
    """The one answer to every sign-up, new e-mail or not."""

    template_name = "accounts/registered.html"


class ActivateAccountView(PasswordResetConfirmView):
    """The link of the activation e-mail: the newcomer chooses a password, the account opens and they are
    logged in. Django's password-reset confirmation (token check, one use, the token kept out of the
    address bar), for accounts still awaiting activation only."""

    template_name = "accounts/activate.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and _awaiting_activation(user) else None

    def form_valid(self, form):
        form.user.is_active = True  # saved with the password by the form
        messages.success(self.request, _("Your account is active. Welcome!"))
        return super().form_valid(form)

    def get_success_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
