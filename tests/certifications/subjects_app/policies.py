"""The policies the operators and packages apps are expected to write (no import of certifications)."""

from .models import Operator, Service


class OperatorPolicy:
    def user_is_holder(self, *, user, subject):
        return subject.members.filter(pk=user.pk).exists()

    def subjects_for_user(self, *, user):
        return Operator.objects.filter(members=user)

    def holder_emails(self, *, subject):
        return [subject.email] if subject.email else []


class ServicePolicy:
    def user_is_holder(self, *, user, subject):
        return subject.operator.members.filter(pk=user.pk).exists()

    def subjects_for_user(self, *, user):
        return Service.objects.filter(operator__members=user).select_related("operator")

    def holder_emails(self, *, subject):
        return [subject.operator.email] if subject.operator.email else []


class PackagePolicy:
    # Only DMC staff act for packages: user_is_holder and subjects_for_user keep the defaults.
    component_paths = ("components", ["service", "service__operator"])
