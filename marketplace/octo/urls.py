from django.http import JsonResponse
from django.urls import path, re_path

from .api import api


def not_found(request, *args, **kwargs):
    """Any other path under /api/octo/: an OCTO error body. A 400, not a 404: Django's LocaleMiddleware
    turns a 404 into a redirect to the language-prefixed path, which a partner's system must never get."""
    return JsonResponse({"error": "BAD_REQUEST", "errorMessage": f"Unknown OCTO path {request.path}."}, status=400)


urlpatterns = [path("api/octo/", api.urls), re_path(r"^api/octo(/.*)?$", not_found)]
