from django.urls import path

from . import health_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.home, name="home"),
    path("org/<str:code>/", views.detail, name="detail"),
    path("org/<str:code>/children/", views.children, name="children"),
    path("org/<str:code>/add/", views.add_child, name="add_child"),
    path("org/<str:code>/edit/", views.edit, name="edit"),
    path("org/<str:code>/move/", views.move, name="move"),
    path("org/<str:code>/dissolve/", views.dissolve, name="dissolve"),
    path("org/<str:code>/officers/new/", views.appoint, name="appoint"),
    # Organization health: setup flags, elections, coverage (health_views).
    path("org/<str:code>/health/setup/", health_views.setup, name="health_setup"),
    path(
        "org/<str:code>/health/setup/export.xlsx",
        health_views.setup_export,
        name="health_setup_export",
    ),
    path("org/<str:code>/health/elections/", health_views.elections, name="health_elections"),
    path(
        "org/<str:code>/health/elections/export.xlsx",
        health_views.elections_export,
        name="health_elections_export",
    ),
    path(
        "org/<str:code>/health/elections/new/",
        health_views.election_new,
        name="health_election_new",
    ),
    path("org/<str:code>/health/coverage/", health_views.coverage, name="health_coverage"),
    path(
        "org/<str:code>/health/coverage/export.xlsx",
        health_views.coverage_export,
        name="health_coverage_export",
    ),
    path("org/<str:code>/health/units/new/", health_views.unit_form, name="health_unit_new"),
    path("org/<str:code>/health/units/<int:pk>/", health_views.unit_form, name="health_unit_edit"),
]
