from django.contrib import admin
from django.urls import include, path

from dangjian.accounts.views import admin_login
from dangjian.api.api import api
from dangjian.governance import views as governance_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin: its login is the site's (lockout, two-step code).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("dangjian.accounts.urls")),
    path("members/", include("dangjian.members.urls")),
    path("history/", include("dangjian.core.urls")),
    path("jobs/", include("dangjian.core.job_urls")),
    path("io/", include("dangjian.reports.urls")),
    path("life/", include("dangjian.life.urls")),
    path("tasks/", include("dangjian.tasks.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("points/", include("dangjian.points.urls")),
    path("supervision/", include("dangjian.supervision.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("weak/", include("dangjian.weakorgs.urls")),
    path("governance/", include("dangjian.governance.urls")),
    path("service/", include("dangjian.service.urls")),
    path("development/", include("dangjian.development.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("training/", include("dangjian.training.urls")),
    path("village/", include("dangjian.village.urls")),
    path("v/<str:code>/", governance_views.public_board, name="public_board"),
    path("", include("dangjian.desk.urls")),
    path("", include("dangjian.health.urls")),
    path("", include("dangjian.orgs.urls")),
]

# A form over the request limit gets a page that says so (core.views.bad_request).
handler400 = "dangjian.core.views.bad_request"
# Styled error pages in the user's language, with a way back.
handler403 = "dangjian.core.views.permission_denied"
handler404 = "dangjian.core.views.page_not_found"
handler500 = "dangjian.core.views.server_error"
