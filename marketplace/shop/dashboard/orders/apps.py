import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's orders dashboard, forked (oscar_fork_app) so the order page cancels and refunds through
    our services and shows the travellers and each package line's operators' parts.

    Why a fork rather than a separate staff view plus a template override: Oscar's OrderDetailView
    already dispatches POSTed `order_action`s to methods on the view and re-renders itself with bound
    forms, and the same view also offers Oscar's own "change status to Cancelled", which would cancel
    without giving places back or refunding. Subclassing it adds our two actions and takes Oscar's
    status changes away in one place, so the only way to cancel is our rule (views.py).
    """

    name = "marketplace.shop.dashboard.orders"
