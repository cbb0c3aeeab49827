"""The partner portal: home ("trade:home"), availability grid, bookings, statements (views_portal)."""

urlpatterns: list = []
