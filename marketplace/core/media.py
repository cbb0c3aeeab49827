"""Uploaded media (photos and their renditions) when Django serves MEDIA_ROOT itself (SERVE_MEDIA on, as
gunicorn does in docker-compose.yml with no proxy in front): Django's static view plus a cache lifetime.

Browsers may keep a file for MEDIA_CACHE_SECONDS (a year by default) without asking again: a file under
/media/ never changes in place. Wagtail's renditions carry their filter and focal point in the file name
and a replaced upload gets a new name (the storage never overwrites), so a new image is a new URL. Why a
year and not a week: Lighthouse counts anything under about 100 days as a short cache lifetime
(uses-long-cache-ttl), and these names are as unique as whitenoise's hashed ones. Lower MEDIA_CACHE_SECONDS
if your editors delete photos and upload others under the same file names.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.static import serve


def media_serve(request, path: str):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS)
    return response
