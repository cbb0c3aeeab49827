"""What certifications needs to know about the models it labels, supplied by the apps that own them.

Certifications imports nothing from operators or packages (DESIGN.md). Instead each subject model
may name a *policy* in settings::

    CERTIFICATION_SUBJECT_MODELS = ["operators.operator", "operators.service", "packages.package"]
    CERTIFICATION_SUBJECT_POLICIES = {
        "operators.operator": "operators.certification.OperatorCertificationPolicy",
        "operators.service": "operators.certification.ServiceCertificationPolicy",
        "packages.package": "packages.certification.PackageCertificationPolicy",
    }

A policy is any class (instantiated without arguments) or object with some of these methods; the
ones it lacks fall back to `DefaultSubjectPolicy`, so an owning app writes only what differs and
never imports this module (duck typing keeps the dependency arrow pointing one way):

- ``user_is_holder(*, user, subject) -> bool``: the user acts for this subject (an operator's
  member for its operator and its services). Holders may request awards and see their own.
- ``subjects_for_user(*, user) -> Iterable[Model]``: the subjects a user may request awards for
  (the choices of the operator-facing request form).
- ``holder_emails(*, subject) -> list[str]``: who is told about expiry.
- ``component_paths`` (attribute): for composite subjects (packages), a pair
  ``("components", ["service", "service__operator"])``: the reverse relation from the subject to its
  components and, from a component, the paths to the subjects that can stand for it. A package then
  carries a scheme's label when every component has at least one of those subjects holding a valid
  award of the scheme. The same description serves the label of one package and the catalogue
  filter, so they cannot disagree.

Apps that prefer code to settings can call `subject_policy_register(label, policy)` from their
AppConfig.ready(); a registered policy wins over the setting.
"""

from collections.abc import Iterable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

_registered: dict[str, object] = {}


class DefaultSubjectPolicy:
    """Used for any method a subject's policy does not define: nobody but DMC staff acts for a subject."""

    component_paths: tuple[str, list[str]] | None = None

    def user_is_holder(self, *, user, subject) -> bool:
        return False

    def subjects_for_user(self, *, user) -> Iterable[models.Model]:
        return []

    def holder_emails(self, *, subject) -> list[str]:
        return []


_DEFAULT = DefaultSubjectPolicy()


def subject_model_labels() -> list[str]:
    """The allowed subject models, as lower-case labels; those whose app is not installed are left out."""
    labels = []
    for label in getattr(settings, "CERTIFICATION_SUBJECT_MODELS", []):
        label = label.lower()
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            continue
        labels.append(label)
    return labels


def subject_model_choices() -> list[tuple[str, str]]:
    """(label, verbose name) for each allowed subject model, for the scheme's "awardable to" field."""
    return [(label, str(apps.get_model(label)._meta.verbose_name).capitalize()) for label in subject_model_labels()]


def subject_model_allowed(model: type[models.Model]) -> bool:
    return model._meta.label_lower in subject_model_labels()


@cache
def _load(dotted: str) -> object:
    policy = import_string(dotted)
    return policy() if isinstance(policy, type) else policy


def subject_policy_register(label: str, policy: object) -> None:
    """Register a policy from code (AppConfig.ready()); wins over CERTIFICATION_SUBJECT_POLICIES."""
    _registered[label.lower()] = policy() if isinstance(policy, type) else policy


def subject_policy_unregister(label: str) -> None:
    _registered.pop(label.lower(), None)


def _policy_object(label: str) -> object | None:
    label = label.lower()
    if label in _registered:
        return _registered[label]
    dotted = getattr(settings, "CERTIFICATION_SUBJECT_POLICIES", {}).get(label)
    if not dotted:
        return None
    try:
        return _load(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(f"CERTIFICATION_SUBJECT_POLICIES[{label!r}] = {dotted!r}: {exc}") from exc


class SubjectPolicy:
    """A subject model's policy with the defaults filled in."""

    def __init__(self, policy: object | None):
        self._policy = policy

    def __getattr__(self, name):
        if self._policy is not None and hasattr(self._policy, name):
            return getattr(self._policy, name)
        return getattr(_DEFAULT, name)


def subject_policy(model_or_label: type[models.Model] | models.Model | str) -> SubjectPolicy:
    if isinstance(model_or_label, str):
        label = model_or_label
    else:
        label = model_or_label._meta.label_lower
    return SubjectPolicy(_policy_object(label))


def subject_user_is_holder(*, user, subject: models.Model) -> bool:
    if user is None or not user.is_authenticated or subject is None:
        return False
    return bool(subject_policy(subject).user_is_holder(user=user, subject=subject))


def subjects_for_user(*, user) -> list[models.Model]:
    """Every subject, of every allowed model, that the user holds (for the request form)."""
    if user is None or not user.is_authenticated:
        return []
    result: list[models.Model] = []
    for label in subject_model_labels():
        result.extend(subject_policy(label).subjects_for_user(user=user))
    return result


def subject_key(subject: models.Model) -> str:
    """A stable string for a subject, "<content type id>-<pk>", used in forms and cache keys."""
    content_type = ContentType.objects.get_for_model(subject)
    return f"{content_type.pk}-{subject.pk}"


def subject_from_key(key: str) -> models.Model | None:
    try:
        content_type_id, pk = (int(part) for part in key.split("-", 1))
        content_type = ContentType.objects.get_for_id(content_type_id)
    except (ValueError, ContentType.DoesNotExist):
        return None
    model = content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=pk).first()
