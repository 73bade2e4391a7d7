from django.urls import path

from . import views

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/respond/", views.need_respond, name="need_respond"),
    path("needs/<int:pk>/link/", views.need_link, name="need_link"),
    path("needs/<int:pk>/met/", views.need_mark_met, name="need_mark_met"),
]
