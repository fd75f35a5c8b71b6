from django.urls import path

from . import views, views_mapping

app_name = "reports"
urlpatterns: list = [
    path("<str:kind>/template.xlsx", views.template, name="template"),
    path("<str:kind>/import/", views.import_view, name="import"),
    path("<str:kind>/export.xlsx", views.export, name="export"),
]

urlpatterns += [
    path("members/map/", views_mapping.map_upload, name="map_upload"),
    path("members/map/<str:token>/", views_mapping.map_columns, name="map_columns"),
    path("mappings/", views_mapping.mapping_list, name="mappings"),
    path("mappings/<int:pk>/export.xlsx", views_mapping.export_mapped, name="mapped_export"),
]
