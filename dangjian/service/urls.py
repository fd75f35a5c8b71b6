from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("", views.home, name="home"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("org/<str:code>/pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge"),
    path("pledges/export.xlsx", views.pledges_export, name="pledges_export"),
    path("posts/", views.post_list, name="posts"),
    path("org/<str:code>/posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("visits/", views.visit_list, name="visits"),
    path("org/<str:code>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("concerns/", views.concern_list, name="concerns"),
    path("concerns/export.xlsx", views.concerns_export, name="concerns_export"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("proxy/", views.proxy_list, name="proxy"),
    path("org/<str:code>/proxy/new/", views.proxy_create, name="proxy_create"),
    path("proxy/<int:pk>/", views.proxy_detail, name="proxy_detail"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("org/<str:code>/suggestions/group/", views.suggestion_group, name="suggestion_group"),
    path("teams/", views.team_list, name="teams"),
    path("org/<str:code>/teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("contact-points/", views.contact_point_list, name="contact_points"),
    path(
        "org/<str:code>/contact-points/new/",
        views.contact_point_create,
        name="contact_point_create",
    ),
]
