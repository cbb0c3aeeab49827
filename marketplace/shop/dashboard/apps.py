import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so its sub-app `dashboard.orders` can be forked: Oscar's class
    loader finds `get_class("dashboard.orders.views", …)` through the app labelled "dashboard", so the
    parent must point at this package for marketplace/shop/dashboard/orders to be used. Nothing else
    of the dashboard changes."""

    name = "marketplace.shop.dashboard"
