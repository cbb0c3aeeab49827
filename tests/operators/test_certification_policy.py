"""Operators plug into certifications through settings: members hold their operator and services."""

import pytest

from certifications.subjects import subject_policy, subject_user_is_holder, subjects_for_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_members_hold_their_operator_and_its_services_only(world_a, world_b):
    user = world_a["user"]
    assert subject_user_is_holder(user=user, subject=world_a["operator"])
    assert subject_user_is_holder(user=user, subject=world_a["service"])
    assert not subject_user_is_holder(user=user, subject=world_b["operator"])
    assert not subject_user_is_holder(user=user, subject=world_b["service"])
    assert set(subjects_for_user(user=user)) == {world_a["operator"], world_a["service"]}
    assert subjects_for_user(user=UserFactory()) == []


def test_expiry_reminders_go_to_the_operator_and_its_owners(world_a):
    emails = subject_policy(world_a["service"]).holder_emails(subject=world_a["service"])
    assert emails == sorted({world_a["operator"].email, world_a["user"].email})
