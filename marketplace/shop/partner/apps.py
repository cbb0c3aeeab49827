import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for `strategy.py`: packages priced by the line's date and party."""

    name = "marketplace.shop.partner"
