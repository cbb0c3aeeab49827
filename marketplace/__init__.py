"""The Django project: settings, URLs, the Celery app, the shop and the trade channel."""

from .celery import app as celery_app

__all__ = ["celery_app"]
