# Oscar's checkout app has no models; the fork keeps the module Oscar expects.
from oscar.apps.checkout.models import *  # noqa: F403
