from oscar.apps.partner.admin import *  # noqa: F403  forked app: Oscar's admin unchanged
