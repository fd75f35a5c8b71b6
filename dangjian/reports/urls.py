from django.urls import path

from . import views

app_name = "reports"
urlpatterns: list = [
    path("<str:kind>/template.xlsx", views.template, name="template"),
    path("<str:kind>/import/", views.import_view, name="import"),
    path("<str:kind>/export.xlsx", views.export, name="export"),
]
