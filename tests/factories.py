"""Factories shared by every app's tests (each app adds its own in tests/<app>/factories.py)."""

import factory
from django.contrib.auth import get_user_model

from marketplace.core.roles import Role, user_grant_role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Anna"
    last_name = "Rossi"
    password = factory.PostGenerationMethodCall("set_password", "secret-pass")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted and create:
            user_grant_role(self, Role(extracted))
        if create:
            self.save()
