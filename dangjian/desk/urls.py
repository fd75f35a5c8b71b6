from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.desk, name="home"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
]
