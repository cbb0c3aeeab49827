from django.conf import settings


def site(request):
    """The destination's name for every template, Wagtail's and Oscar's alike."""
    return {"DMC_NAME": settings.DMC_NAME}
