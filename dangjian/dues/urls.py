from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.home, name="home"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    path("org/<str:code>/grid/", views.grid, name="grid"),
    path("org/<str:code>/month/<str:month>/", views.month_form, name="month"),
    path("org/<str:code>/arrears/", views.arrears, name="arrears"),
    path("member/<int:pk>/", views.member_dues, name="member"),
    path("mine/", views.mine, name="mine"),
]
