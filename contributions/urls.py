from django.urls import path

from . import views

urlpatterns = [
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
]
