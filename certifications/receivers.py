from .services import scheme_changed


def scheme_saved(sender, **kwargs):
    scheme_changed()
