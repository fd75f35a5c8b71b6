from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("org/", views.home, name="home"),
    path("orgs/pick/", views.pick, name="pick"),
    path("org/<str:code>/", views.detail, name="detail"),
    path("org/<str:code>/children/", views.children, name="children"),
    path("org/<str:code>/add/", views.add_child, name="add_child"),
    path("org/<str:code>/edit/", views.edit, name="edit"),
    path("org/<str:code>/move/", views.move, name="move"),
    path("org/<str:code>/dissolve/", views.dissolve, name="dissolve"),
]
