from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("org/<str:code>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("files/<int:pk>/", views.progress_file, name="progress_file"),
    path("plans/", views.plans, name="plans"),
    path("org/<str:code>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/close", views.inspection_close, name="inspection_close"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("interviews/", views.interviews, name="interviews"),
    path("org/<str:code>/interviews/new/", views.interview_create, name="interview_create"),
]
