from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm

# Accounts made by the demo generator (`dangjian demo`), shown on the login page in demo mode.
DEMO_PASSWORD = "dangjian2026"
DEMO_ACCOUNTS = (
    ("county", _("县委组织部管理员")),
    ("township", _("乡镇党委书记")),
    ("branch", _("村党支部书记")),
    ("member", _("普通党员")),
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
