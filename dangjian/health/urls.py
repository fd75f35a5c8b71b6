"""Organization health under each organization's address: setup flags, elections, coverage."""

from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("org/<str:code>/health/setup/", views.setup, name="setup"),
    path(
        "org/<str:code>/health/setup/export.xlsx",
        views.setup_export,
        name="setup_export",
    ),
    path(
        "org/<str:code>/health/setup/approve/<str:flag>/",
        views.setup_approve,
        name="setup_approve",
    ),
    path("org/<str:code>/health/elections/", views.elections, name="elections"),
    path(
        "org/<str:code>/health/elections/export.xlsx",
        views.elections_export,
        name="elections_export",
    ),
    path(
        "org/<str:code>/health/elections/new/",
        views.election_new,
        name="election_new",
    ),
    path("org/<str:code>/health/coverage/", views.coverage, name="coverage"),
    path(
        "org/<str:code>/health/coverage/export.xlsx",
        views.coverage_export,
        name="coverage_export",
    ),
    path("org/<str:code>/health/units/new/", views.unit_form, name="unit_new"),
    path("org/<str:code>/health/units/<int:pk>/", views.unit_form, name="unit_edit"),
    path("org/<str:code>/health/elections/term/", views.term_change, name="term_change"),
]
