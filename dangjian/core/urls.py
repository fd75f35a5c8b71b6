from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("<str:type>/<str:id>/", views.history, name="history"),
]
