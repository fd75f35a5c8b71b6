from django.urls import path

from . import views

app_name = "life"
urlpatterns = [
    # The compliance overview (?org=CODE&period=2026-03); the nav's "组织生活" link.
    path("", views.overview, name="overview"),
    path("export.xlsx", views.overview_export, name="overview_export"),
    path("org/<str:code>/calendar/", views.calendar, name="calendar"),
    path("org/<str:code>/meetings/", views.meeting_list, name="meetings"),
    path("org/<str:code>/meetings/export.xlsx", views.meeting_export, name="meetings_export"),
    path("org/<str:code>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("org/<str:code>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/void/", views.meeting_void, name="meeting_void"),
    path("meetings/<int:pk>/approve/", views.meeting_approve, name="meeting_approve"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("org/<str:code>/reviews/", views.reviews, name="reviews"),
    path("org/<str:code>/reviews/export.xlsx", views.reviews_export, name="reviews_export"),
    path("org/<str:code>/talks/", views.talks, name="talks"),
    path("org/<str:code>/talks/export.xlsx", views.talks_export, name="talks_export"),
    path("org/<str:code>/participation/", views.participation, name="participation"),
    path(
        "org/<str:code>/participation/export.xlsx",
        views.participation_export,
        name="participation_export",
    ),
]
