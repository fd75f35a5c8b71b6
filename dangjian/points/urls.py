from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("members/<int:pk>/", views.member, name="member"),
    path("scheme/<str:code>/", views.scheme, name="scheme"),
    path("scheme/<str:code>/recompute/", views.recompute, name="recompute"),
    path("scheme/<str:code>/close/", views.close, name="close"),
    path("org/<str:code>/", views.org_points, name="org"),
    path("org/<str:code>/members/", views.org_members, name="members"),
    path("org/<str:code>/members/export.xlsx", views.org_members_export, name="members_export"),
]
