from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.matter_list, name="matters"),
    path("export.xlsx", views.matter_export, name="matters_export"),
    path("org/<str:code>/matters/new/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("org/<str:code>/office-hours/", views.office_hours, name="office_hours"),
    path("office-hours/<int:pk>/remove", views.office_hours_remove, name="office_hours_remove"),
]
