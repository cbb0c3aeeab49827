"""/<lang>/open-data/: stable URLs (regional and national portals store them). See views_opendata.py."""

from django.urls import path

from . import views_opendata

app_name = "opendata"
urlpatterns = [
    path("", views_opendata.index, name="index"),
    path("catalog.rdf", views_opendata.catalog_rdf, name="catalog"),
    path("<slug:key>.csv", views_opendata.dataset_csv, name="csv"),
    path("<slug:key>.json", views_opendata.dataset_json, name="json"),
]
