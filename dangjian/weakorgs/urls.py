from django.urls import path

from . import views

app_name = "weakorgs"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<str:code>/", views.candidates, name="candidates"),
    path("org/<str:code>/detect", views.detect, name="detect"),
    path("org/<str:code>/flag/", views.hand_flag, name="hand_flag"),
    path("org/<str:code>/list/", views.year_list, name="list"),
    path("org/<str:code>/list.xlsx", views.export, name="export"),
    path("org/<str:code>/history/", views.history, name="history"),
    path("flags/<int:pk>/", views.flag, name="flag"),
]
