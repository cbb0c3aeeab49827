"""Wagtail destination pages, one module per page family (STYLE.md §8); re-exported for the `cms` app label."""

from .areas import AreaIndexPage, AreaPage, PointOfInterestPage
from .articles import ArticleIndexPage, ArticlePage, TouristOfficeIndexPage, TouristOfficePage
from .base import DestinationPage, Theme
from .collections import CollectionIndexPage, CollectionPage
from .events import EventIndexPage, EventPage
from .home import HomePage
from .itineraries import ItineraryIndexPage, ItineraryPage
from .legal import CompanyIdentity, LegalKind, LegalPage

__all__ = [
    "AreaIndexPage",
    "AreaPage",
    "ArticleIndexPage",
    "ArticlePage",
    "CollectionIndexPage",
    "CollectionPage",
    "CompanyIdentity",
    "DestinationPage",
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "ItineraryIndexPage",
    "ItineraryPage",
    "LegalKind",
    "LegalPage",
    "PointOfInterestPage",
    "Theme",
    "TouristOfficeIndexPage",
    "TouristOfficePage",
]
