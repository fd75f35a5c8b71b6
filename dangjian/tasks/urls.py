from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/export.xlsx", views.assignments_export, name="assignments_export"),
    path("assignments/new/", views.issue, name="issue"),
    path("assignments/receivers/", views.receivers_preview, name="receivers_preview"),
    path("assignments/<int:pk>/", views.board, name="board"),
    path("assignments/<int:pk>/export.xlsx", views.export, name="export"),
    path("assignments/<int:pk>/revise/", views.revise, name="revise"),
    path("assignments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("report-backs/<int:pk>/", views.report_back, name="report"),
    path("files/<int:pk>/", views.report_file, name="file"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("pledges/export.xlsx", views.pledges_export, name="pledges_export"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/export.xlsx", views.meetings_export, name="meetings_export"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("projects/", views.project_list, name="projects"),
    path("projects/export.xlsx", views.projects_export, name="projects_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("project-photos/<int:pk>/", views.project_photo, name="project_photo"),
]
