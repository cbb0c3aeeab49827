"""The trade channel under /<lang>/trade/, namespace "trade". Each module owns its own patterns."""

from . import urls_account, urls_portal

app_name = "trade"
urlpatterns = urls_portal.urlpatterns + urls_account.urlpatterns
