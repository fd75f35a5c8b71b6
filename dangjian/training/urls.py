from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/", views.session_list, name="sessions"),
    path("org/<str:code>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("mine/", views.mine, name="mine"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("org/<str:code>/courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/manage/", views.course_manage, name="course_manage"),
    path("hours/", views.hours, name="hours"),
    path("hours/export.xlsx", views.hours_export, name="hours_export"),
]
