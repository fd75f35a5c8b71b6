from django.urls import path

from . import transfer_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("mine/", views.my_history, name="mine"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("new/<str:code>/", views.create, name="create"),
    path("officers/new/<str:code>/", views.appoint, name="appoint"),
]

urlpatterns += [
    path("transfers/<str:code>/", transfer_views.transfer_list, name="transfers"),
    path(
        "transfers/<str:code>/export.xlsx", transfer_views.transfer_export, name="transfers_export"
    ),
    path("<int:pk>/transfer/", transfer_views.transfer_issue, name="transfer_issue"),
    path("transfer/<int:pk>/", transfer_views.transfer_detail, name="transfer"),
    path("transfer/<int:pk>/<str:action>/", transfer_views.transfer_act, name="transfer_act"),
    path("transfers/<str:code>/in/", transfer_views.transfer_in, name="transfer_in"),
    path("mobile/<str:code>/", transfer_views.mobile_list, name="mobile"),
    path("mobile/<str:code>/export.xlsx", transfer_views.mobile_export, name="mobile_export"),
    path("<int:pk>/mobile/", transfer_views.mobile_start, name="mobile_start"),
    path("mobile/record/<int:pk>/end/", transfer_views.mobile_end, name="mobile_end"),
]
