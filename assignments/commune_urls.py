"""The commune's own data: villages, yearly indicators, the province's import of a year."""

from django.urls import path

from . import commune_data_views as views

urlpatterns = [
    path("communes/data/", views.commune_data_home, name="commune_data"),
    path("communes/<int:pk>/villages/", views.commune_villages, name="commune_villages"),
    path("villages/<int:pk>/", views.village_edit, name="village_edit"),
    path("villages/<int:pk>/close/", views.village_close, name="village_close"),
    path("villages/<int:pk>/merge/", views.village_merge, name="village_merge"),
    path("communes/<int:pk>/indicators/", views.commune_indicators, name="commune_indicators"),
    path(
        "communes/<int:pk>/indicators/new/",
        views.commune_indicator_edit,
        name="commune_indicator_add",
    ),
    path(
        "communes/<int:pk>/indicators/<int:year>/",
        views.commune_indicator_edit,
        name="commune_indicator_edit",
    ),
    path("province/indicators/import/", views.indicator_import_view, name="indicator_import"),
    path(
        "province/indicators/import/template/",
        views.indicator_import_template,
        name="indicator_import_template",
    ),
]
