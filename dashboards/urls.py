from django.urls import path

from . import national_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-communes/", views.my_communes, name="my_communes"),
    path("overview/", views.province_dashboard, name="province_dashboard"),
    path("review/", views.review_table, name="review_table"),
    path("national/", national_views.national_overview, name="national_overview"),
    path("agencies/<int:pk>/", views.agency_dashboard, name="agency_dashboard"),
    path("communes/<int:pk>/", views.commune_dashboard, name="commune_dashboard"),
]
