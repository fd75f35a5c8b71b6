from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-step/start/", views.two_step_start, name="two_step_start"),
    path("two-step/confirm/", views.two_step_confirm, name="two_step_confirm"),
    path("two-step/disable/", views.two_step_disable, name="two_step_disable"),
    path("two-step/qr.svg", views.two_step_qr, name="two_step_qr"),
]
