"""Sign in, sign out, register and reset a password: thin wrappers over Django's auth views."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from broadsheet.accounts.forms import RegisterForm
from broadsheet.accounts.ratelimit import Limit, attempt_check, attempt_record
from broadsheet.accounts.services import user_register


def _refused(response: HttpResponse, limit: Limit) -> HttpResponse:
    """Mark a page that carries limit.message as a rate-limit refusal."""
    response.status_code = 429
    response["Retry-After"] = str(limit.retry_after)
    return response


def _safe_next(request: HttpRequest) -> str:
    """The `next` target if it stays on this site, else the empty string."""
    target = request.POST.get("next", request.GET.get("next", ""))
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


class SignInView(auth_views.LoginView):
    """Django's sign-in, refusing a network after too many failed attempts."""

    template_name = "registration/login.html"
    redirect_authenticated_user = False

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limit = attempt_check("login", request)
        if limit.blocked:
            # Unbound, so nothing is checked, but the typed username comes back.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            context = self.get_context_data(form=form, rate_error=limit.message)
            return _refused(self.render_to_response(context), limit)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        attempt_record("login", self.request)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignOutView(auth_views.LogoutView):
    """Django's sign-out (POST only)."""

    template_name = "registration/logged_out.html"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    """Create an ordinary reader account and sign the new reader in."""
    next_url = _safe_next(request)
    context: dict = {"next": next_url}
    if request.method != "POST":
        context["form"] = RegisterForm()
        return render(request, "accounts/register.html", context)
    form = RegisterForm(request.POST)
    context["form"] = form
    limit = attempt_check("register", request)
    if limit.blocked:
        context["rate_error"] = limit.message
        return _refused(render(request, "accounts/register.html", context), limit)
    if not form.is_valid():
        return render(request, "accounts/register.html", context, status=400)
    try:
        user = user_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
    except ValidationError as exc:
        form.add_service_error(exc)
        return render(request, "accounts/register.html", context, status=400)
    attempt_record("register", request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(next_url or settings.LOGIN_REDIRECT_URL)


class ResetView(auth_views.PasswordResetView):
    """Ask for a reset link; the answer is the same whether or not the address is known."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Counted whether or not the address is known, so the limit reveals nothing either.
        limit = attempt_check("reset", request)
        if limit.blocked:
            form = self.get_form_class()(initial={"email": request.POST.get("email", "")})
            context = self.get_context_data(form=form, rate_error=limit.message)
            return _refused(self.render_to_response(context), limit)
        attempt_record("reset", request)
        return super().post(request, *args, **kwargs)


class ResetDoneView(auth_views.PasswordResetDoneView):
    """The link is on its way (if the address has an account)."""

    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password has been changed."""

    template_name = "registration/password_reset_complete.html"
