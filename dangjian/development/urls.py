from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.export, name="export"),
    path("org/<str:code>/", views.org_list, name="list"),
    path("org/<str:code>/apply/", views.apply, name="apply"),
    path("<int:pk>/", views.candidacy, name="candidacy"),
    path("files/<int:pk>/", views.step_file, name="file"),
    path("org/<str:code>/cultivations/", views.cultivations, name="cultivations"),
    path("cultivations/<int:pk>/", views.cultivation, name="cultivation"),
]
