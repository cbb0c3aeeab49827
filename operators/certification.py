"""How certifications sees operators and services (duck-typed policies named in
settings.CERTIFICATION_SUBJECT_POLICIES; this app imports nothing of certifications, DESIGN.md).

An operator's members act for the operator and for its services: they may request labels and see
their awards. Expiry reminders go to the operator's address and to its owners.
"""

from .models import Operator, OperatorMembership, Service


def _owner_emails(operator: Operator) -> list[str]:
    owners = operator.memberships.filter(role=OperatorMembership.Role.OWNER).values_list("user__email", flat=True)
    return sorted({email for email in [operator.email, *owners] if email})


class OperatorCertificationPolicy:
    def user_is_holder(self, *, user, subject) -> bool:
        return user.is_authenticated and OperatorMembership.objects.filter(user=user, operator=subject).exists()

    def subjects_for_user(self, *, user):
        if not user.is_authenticated:
            return Operator.objects.none()
        return Operator.objects.filter(memberships__user=user).distinct()

    def holder_emails(self, *, subject) -> list[str]:
        return _owner_emails(subject)


class ServiceCertificationPolicy:
    def user_is_holder(self, *, user, subject) -> bool:
        return (
            user.is_authenticated
            and OperatorMembership.objects.filter(user=user, operator_id=subject.operator_id).exists()
        )

    def subjects_for_user(self, *, user):
        if not user.is_authenticated:
            return Service.objects.none()
        return Service.objects.filter(operator__memberships__user=user).distinct()

    def holder_emails(self, *, subject) -> list[str]:
        return _owner_emails(subject.operator)
