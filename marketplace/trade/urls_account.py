"""Partner sign-up, the partner's users and invitations (views_account)."""

urlpatterns: list = []
