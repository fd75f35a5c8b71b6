from django.urls import path

from . import views

app_name = "village"

urlpatterns = [
    path("", views.overview, name="home"),
    path("venues/export.xlsx", views.venues_export, name="venues_export"),
    path("org/<str:code>/venue/", views.venue, name="venue"),
    path("org/<str:code>/pay-rule/", views.pay_rule, name="rule"),
    path("sheets/", views.sheet_list, name="sheets"),
    path("sheets/export.xlsx", views.sheets_export, name="sheets_export"),
    path("org/<str:code>/sheets/new/", views.sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
]
