from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/open", views.assessment_open, name="open"),
    path("<int:pk>/", views.ranking, name="ranking"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/compute", views.compute, name="compute"),
    path("<int:pk>/publish", views.publish, name="publish"),
    path("<int:pk>/org/<str:code>/", views.card, name="card"),
]
