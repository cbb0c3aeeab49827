"""Destination URLs outside the page tree, inside the language prefix (/it/…, /en/…)."""

from django.urls import path

from . import views
from .feeds import EventFeed

app_name = "cms"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("events.ics", EventFeed(), name="events-ical"),
    path("map/points.geojson", views.points_geojson, name="points-geojson"),
    path("map/places/", views.place_list, name="places"),
]
