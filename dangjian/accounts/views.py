from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core.forms import run_service

from . import two_step
from .forms import CodeForm, LoginForm

# Accounts made by the demo generator (`dangjian demo`), shown on the login page in demo mode.
DEMO_PASSWORD = "dangjian2026"
DEMO_ACCOUNTS = (
    ("county", gettext_lazy("县委组织部管理员")),
    ("township", gettext_lazy("乡镇党委书记")),
    ("branch", gettext_lazy("村党支部书记")),
    ("member", gettext_lazy("普通党员")),
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DANGJIAN.get("DEMO"):
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot log anyone out."""


def admin_login(request):
    """/admin/login/ is the site's login page, so the admin too asks for the lockout check and
    the two-step code (Django's own admin login form knows neither)."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(reverse("admin:index"))
        raise PermissionDenied(_("该账号不能进入后台管理"))
    return redirect_to_login(next_url, login_url=reverse("accounts:login"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form: the old password, then a new one that passes AUTH_PASSWORD_VALIDATORS."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, _("密码已修改"))
        return super().form_valid(form)


def _account_page(request, code_form=None, status=200):
    user = request.user
    context = {
        "may_enrol": two_step.may_enrol(user),
        "device": two_step.confirmed_device(user),
        "pending": two_step.pending_device(user),
        "code_form": code_form or CodeForm(),
        "verified": user.is_verified() if hasattr(user, "is_verified") else False,
    }
    if context["pending"] is not None:
        context["otpauth_uri"] = context["pending"].config_url
    return render(request, "accounts/account.html", context, status=status)


@login_required
@never_cache
def account(request):
    return _account_page(request)


@login_required
@require_POST
def two_step_start(request):
    try:
        two_step.start(request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("accounts:account")


def _with_code(request, action, done: str):
    """Run `action(user, code)` with the code the form posted; back to the account page."""
    form = CodeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if run_service(form, lambda: action(request.user, code) or True):
            messages.success(request, done)
            return redirect("accounts:account")
    return _account_page(request, form, status=400)


@login_required
@require_POST
def two_step_confirm(request):
    return _with_code(
        request, two_step.confirm, _("两步验证已启用：以后登录时还要填写验证器上的动态验证码")
    )


@login_required
@require_POST
def two_step_disable(request):
    return _with_code(request, two_step.disable, _("两步验证已停用"))


@login_required
@never_cache
def two_step_qr(request):
    """The QR code of the device being enrolled, as an image the account page links to."""
    device = two_step.pending_device(request.user)
    if device is None:
        raise Http404
    return HttpResponse(two_step.qr_svg(device), content_type="image/svg+xml")
