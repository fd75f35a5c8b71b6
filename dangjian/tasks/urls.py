from django.urls import path

from .views import assignments, board, home, meetings, pledges, projects, report_backs

app_name = "tasks"
urlpatterns = [
    path("", home.home, name="home"),
    path("assignments/", assignments.assignment_list, name="assignments"),
    path("assignments/export.xlsx", assignments.assignments_export, name="assignments_export"),
    path("assignments/new/", assignments.issue, name="issue"),
    path("assignments/receivers/", assignments.receivers_preview, name="receivers_preview"),
    path("assignments/<int:pk>/", board.board, name="board"),
    path("assignments/<int:pk>/export.xlsx", board.export, name="export"),
    path("assignments/<int:pk>/revise/", assignments.revise, name="revise"),
    path("assignments/<int:pk>/withdraw/", assignments.withdraw, name="withdraw"),
    path("assignments/<int:pk>/urge/", assignments.urge, name="urge"),
    path("assignments/<int:pk>/extend/", assignments.extend, name="extend"),
    path("report-backs/<int:pk>/", report_backs.report_back, name="report"),
    path("report-backs/<int:pk>/relay/", report_backs.relay, name="relay"),
    path("files/<int:pk>/", report_backs.report_file, name="file"),
    path("pledges/", pledges.pledge_list, name="pledges"),
    path("pledges/export.xlsx", pledges.pledges_export, name="pledges_export"),
    path("pledges/new/", pledges.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/", pledges.pledge_detail, name="pledge"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/export.xlsx", meetings.meetings_export, name="meetings_export"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/export.xlsx", projects.projects_export, name="projects_export"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("project-photos/<int:pk>/", projects.project_photo, name="project_photo"),
]
