"""Partner sign-up, the partner's users and invitations (views_account)."""

from django.urls import path

from . import views_account

urlpatterns: list = [
    path("join/", views_account.PartnerSignupView.as_view(), name="join"),
    path("users/", views_account.PartnerUsersView.as_view(), name="users"),
    path("users/invite/", views_account.PartnerUserInviteView.as_view(), name="user-invite"),
    path("users/<int:pk>/remove/", views_account.PartnerUserRemoveView.as_view(), name="user-remove"),
    path("invitations/<str:token>/", views_account.PartnerInvitationAcceptView.as_view(), name="invitation-accept"),
]
