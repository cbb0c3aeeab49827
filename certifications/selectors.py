"""Reads: which labels a subject carries, which subjects carry a label, and the awards people may see.

`award_qs_shown` is THE definition of a label the public may see (verified, not yet at its expiry
date, of an active scheme). Every page, feed, filter, badge and schema.org snippet goes through it,
so a revoked or lapsed award cannot linger anywhere.

Labels are cached per subject under a version number that every award or scheme change bumps
(`labels_cache_bump`), and under today's date, so an award whose expiry day arrives vanishes at
midnight even before the beat task marks it expired.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.core.origin import public_url

from .models import Award, Scheme
from .subjects import subject_key, subject_model_labels, subject_policy, subject_user_is_holder

CACHE_VERSION_KEY = "certifications:labels:version"
CACHE_TIMEOUT = 6 * 3600


@dataclass(frozen=True)
class Label:
    """A label a subject carries: the scheme, and the award that grants it.

    `award` is the subject's own award, or None when the label is derived (a package whose every
    component holds the scheme); `via` then lists the component awards it rests on.
    """

    scheme: Scheme
    award: Award | None
    via: tuple[Award, ...] = ()

    @property
    def derived(self) -> bool:
        return self.award is None

    @property
    def url(self) -> str:
        if self.award is not None:
            return self.award.get_absolute_url()
        return self.scheme.get_absolute_url()

    @property
    def expires_on(self) -> date | None:
        """The first day the label is gone: its own award's, or the earliest of the components'."""
        if self.award is not None:
            return self.award.expires_on
        dates = [award.expires_on for award in self.via if award.expires_on]
        return min(dates) if dates else None


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def award_qs_shown(*, today: date | None = None) -> QuerySet[Award]:
    """Awards that are labels today: verified, before their expiry date, of an active scheme."""
    today = _today(today)
    return Award.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=today),
        status=Award.Status.VERIFIED,
        scheme__is_active=True,
        awarded_on__lte=today,
    )


def award_is_shown(*, award: Award, today: date | None = None) -> bool:
    today = _today(today)
    return (
        award.status == Award.Status.VERIFIED
        and award.scheme.is_active
        and award.awarded_on is not None
        and award.awarded_on <= today
        and (award.expires_on is None or award.expires_on > today)
    )


# --- cache -------------------------------------------------------------------------------------


def labels_cache_version() -> int:
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, 1, timeout=None)
        version = cache.get(CACHE_VERSION_KEY, 1)
    return version


def _bump() -> None:
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, timeout=None)


def labels_cache_bump() -> None:
    """Invalidate every cached label, now and again when the transaction commits.

    Bumping now hides the change from nobody; bumping again on commit drops anything another
    request cached from the old rows between our write and our commit.
    """
    _bump()
    transaction.on_commit(_bump)


# --- labels of subjects --------------------------------------------------------------------------


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _model_at(model: type[models.Model], path: str) -> type[models.Model]:
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _components_of(subjects: Sequence[models.Model]) -> dict[int, list[list[models.Model | tuple[type, int]]]]:
    """Per composite subject pk, its components as groups of (model, pk) alternatives, in 2 queries."""
    if not subjects:
        return {}
    model = type(subjects[0])
    paths = subject_policy(model).component_paths
    if not paths:
        return {}
    relation, alternatives = paths
    field = model._meta.get_field(relation)
    component_model = field.related_model
    back = field.field.name  # the component's FK to the subject
    targets = [(path, _model_at(component_model, path)) for path in alternatives]
    rows = component_model._default_manager.filter(**{f"{back}__in": [s.pk for s in subjects]}).values_list(
        back, *alternatives
    )
    groups: dict[int, list[list[tuple[type, int]]]] = defaultdict(list)
    for row in rows:
        owner, ids = row[0], row[1:]
        groups[owner].append([(target, pk) for (_, target), pk in zip(targets, ids, strict=True) if pk is not None])
    return groups


def _normalise_components(components: Iterable) -> list[list[tuple[type, int]]]:
    """Explicit components: each item a subject or a sequence of alternative subjects."""
    groups = []
    for item in components:
        alternatives = item if isinstance(item, list | tuple) else [item]
        groups.append([(type(subject), subject.pk) for subject in alternatives if subject is not None])
    return groups


def _awards_for(keys: set[tuple[type, int]], today: date) -> dict[tuple[int, int], list[Award]]:
    """Shown awards of the given (model, pk) subjects, keyed by (content type id, pk)."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for model, pk in keys:
        by_type[_content_type(model).pk].add(pk)
    if not by_type:
        return {}
    query = Q(pk__in=[])
    for content_type_id, pks in by_type.items():
        query |= Q(subject_type_id=content_type_id, subject_id__in=pks)
    result: dict[tuple[int, int], list[Award]] = defaultdict(list)
    for award in award_qs_shown(today=today).filter(query).select_related("scheme").order_by("scheme__name"):
        result[(award.subject_type_id, award.subject_id)].append(award)
    return result


def _compute_labels(
    subjects: Sequence[models.Model], today: date, explicit_components: dict[int, list] | None = None
) -> dict[int, list[Label]]:
    components = explicit_components if explicit_components is not None else _components_of(subjects)
    keys: set[tuple[type, int]] = {(type(subject), subject.pk) for subject in subjects}
    for groups in components.values():
        for group in groups:
            keys.update(group)
    awards = _awards_for(keys, today)

    def awards_of(model, pk) -> list[Award]:
        return awards.get((_content_type(model).pk, pk), [])

    result: dict[int, list[Label]] = {}
    for subject in subjects:
        own = awards_of(type(subject), subject.pk)
        labels = {award.scheme_id: Label(scheme=award.scheme, award=award) for award in own}
        groups = components.get(subject.pk) or []
        if groups:
            # scheme -> the awards it rests on; a scheme survives only if every component has one.
            surviving: dict[int, list[Award]] | None = None
            for group in groups:
                held: dict[int, Award] = {}
                for model, pk in group:
                    for award in awards_of(model, pk):
                        held.setdefault(award.scheme_id, award)
                if surviving is None:
                    surviving = {scheme_id: [award] for scheme_id, award in held.items()}
                else:
                    surviving = {
                        scheme_id: [*via, held[scheme_id]] for scheme_id, via in surviving.items() if scheme_id in held
                    }
                if not surviving:
                    break
            for scheme_id, via in (surviving or {}).items():
                if scheme_id not in labels:
                    labels[scheme_id] = Label(scheme=via[0].scheme, award=None, via=tuple(via))
        result[subject.pk] = sorted(labels.values(), key=lambda label: str(label.scheme.name))
    return result


def _cache_key(subject: models.Model, today: date, version: int) -> str:
    return f"certifications:labels:{version}:{today.isoformat()}:{subject_key(subject)}"


def labels_for_subjects(*, subjects: Iterable[models.Model], today: date | None = None) -> dict[int, list[Label]]:
    """Labels of many subjects of one model (a page of offer cards), keyed by pk, in a few queries.

    Composite subjects (packages) get derived labels from their policy's `component_paths`.
    """
    subjects = [subject for subject in subjects if subject is not None and subject.pk is not None]
    if not subjects:
        return {}
    if len({type(subject) for subject in subjects}) > 1:
        result: dict[int, list[Label]] = {}
        for model in {type(subject) for subject in subjects}:
            result.update(labels_for_subjects(subjects=[s for s in subjects if type(s) is model], today=today))
        return result
    if type(subjects[0])._meta.label_lower not in subject_model_labels():
        return {subject.pk: [] for subject in subjects}
    today = _today(today)
    version = labels_cache_version()
    keys = {subject.pk: _cache_key(subject, today, version) for subject in subjects}
    cached = cache.get_many(list(keys.values()))
    result = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [subject for subject in subjects if subject.pk not in result]
    if missing:
        computed = _compute_labels(missing, today)
        cache.set_many({keys[pk]: labels for pk, labels in computed.items()}, timeout=CACHE_TIMEOUT)
        result.update(computed)
    return result


def subject_labels(
    *, subject: models.Model, components: Iterable | None = None, today: date | None = None
) -> list[Label]:
    """The labels a subject carries today.

    `components`, when given, replaces what the subject's policy says about its components: a list
    whose items are a subject or a sequence of alternative subjects (for a package component, its
    service and its operator). The package carries a scheme when every item holds it. Given
    components are not cached: the caller's list may differ from the stored rows.
    """
    if subject is None or subject.pk is None:
        return []
    if components is None:
        return labels_for_subjects(subjects=[subject], today=today).get(subject.pk, [])
    return _compute_labels([subject], _today(today), {subject.pk: _normalise_components(components)})[subject.pk]


# --- filtering ---------------------------------------------------------------------------------


def _holder_ids(model: type[models.Model], scheme: Scheme, today: date) -> QuerySet:
    return award_qs_shown(today=today).filter(scheme=scheme, subject_type=_content_type(model)).values("subject_id")


def subject_qs_with_label(*, queryset: QuerySet, scheme: Scheme, today: date | None = None) -> QuerySet:
    """The subjects of `queryset` carrying `scheme`'s label today (for catalogue and search filters).

    A composite subject matches through its own award or when every one of its components has a
    subject (per the policy's `component_paths`) holding the scheme: one SQL query, no loops.
    """
    today = _today(today)
    model = queryset.model
    if not scheme.is_active or model._meta.label_lower not in subject_model_labels():
        return queryset.none()
    condition = Q(pk__in=_holder_ids(model, scheme, today))
    paths = subject_policy(model).component_paths
    if paths:
        relation, alternatives = paths
        field = model._meta.get_field(relation)
        component_model = field.related_model
        back = field.field.name
        component_ok = Q(pk__in=[])
        for path in alternatives:
            component_ok |= Q(**{f"{path}__in": _holder_ids(_model_at(component_model, path), scheme, today)})
        lacking = component_model._default_manager.exclude(component_ok).values(back)
        having_components = component_model._default_manager.values(back)
        condition |= Q(pk__in=having_components) & ~Q(pk__in=lacking)
    return queryset.filter(condition)


def scheme_qs_filterable(*, today: date | None = None) -> QuerySet[Scheme]:
    """Active schemes with at least one label shown today: the options of a "filter by label" menu."""
    shown = award_qs_shown(today=today).values("scheme_id")
    return Scheme.objects.filter(is_active=True, pk__in=shown).order_by("name")


def scheme_from_filter(*, slug: str | None) -> Scheme | None:
    """The active scheme a `?label=<slug>` filter names, or None (unknown slugs filter nothing out)."""
    if not slug:
        return None
    return Scheme.objects.filter(is_active=True, slug=slug).first()


def scheme_holders(*, scheme: Scheme, today: date | None = None) -> QuerySet[Award]:
    """The awards of a scheme shown today (the scheme's public page)."""
    return award_qs_shown(today=today).filter(scheme=scheme).order_by("subject_name")


# --- feeds and APIs ------------------------------------------------------------------------------


def label_data(*, label: Label, request=None) -> dict:
    """One label as plain JSON data, for the trade API and the JSON feeds (marketplace/trade)."""
    scheme = label.scheme
    valid_until = label.expires_on - timedelta(days=1) if label.expires_on else None
    return {
        "scheme": scheme.slug,
        "name": str(scheme.name),
        "issuer": scheme.issuer,
        "logo": public_url(scheme.logo.url) if scheme.logo else None,
        "url": public_url(label.url),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "via_components": label.derived,
    }


def subject_labels_data(*, subject: models.Model, request=None, today: date | None = None) -> list[dict]:
    return [label_data(label=label, request=request) for label in subject_labels(subject=subject, today=today)]


# --- schema.org ----------------------------------------------------------------------------------


def subject_schema_org(*, subject: models.Model, request=None, today: date | None = None) -> dict:
    """`award` and `hasCertification` for the subject's JSON-LD (merge into its Organization,
    LocalBusiness, Product, Service or TouristTrip object). Empty dict when it carries no label."""
    labels = subject_labels(subject=subject, today=today)
    if not labels:
        return {}

    certifications = []
    for label in labels:
        scheme = label.scheme
        item = {
            "@type": "Certification",
            "name": str(scheme.name),
            "url": public_url(label.url),
            "issuedBy": {"@type": "Organization", "name": scheme.issuer},
            "certificationStatus": "CertificationActive",
        }
        if scheme.issuer_url:
            item["issuedBy"]["url"] = scheme.issuer_url
        if scheme.logo:
            item["logo"] = public_url(scheme.logo.url)
        if label.award is not None:
            item["validFrom"] = label.award.awarded_on.isoformat()
            if label.award.reference:
                item["certificationIdentification"] = label.award.reference
        if label.expires_on:
            item["expires"] = label.expires_on.isoformat()
        certifications.append(item)
    return {"award": [str(label.scheme.name) for label in labels], "hasCertification": certifications}


# --- who sees which awards -----------------------------------------------------------------------


def award_qs_for_holder(*, user) -> QuerySet[Award]:
    """Awards of the subjects the user holds (an operator's own), whatever their status."""
    from .subjects import subjects_for_user

    query = Q(pk__in=[])
    by_type: dict[int, list[int]] = defaultdict(list)
    for subject in subjects_for_user(user=user):
        by_type[_content_type(type(subject)).pk].append(subject.pk)
    for content_type_id, pks in by_type.items():
        query |= Q(subject_type_id=content_type_id, subject_id__in=pks)
    return Award.objects.filter(query).select_related("scheme")


def award_user_may_view(*, award: Award, user) -> bool:
    """The holder's members and the staff who verify see an award's evidence and history."""
    if not user.is_authenticated:
        return False
    if user.has_perm("certifications.verify_award"):
        return True
    return subject_user_is_holder(user=user, subject=award.subject)


def award_qs_to_verify() -> QuerySet[Award]:
    return Award.objects.filter(status=Award.Status.REQUESTED).select_related("scheme").order_by("created_at")


def scheme_qs_requestable() -> QuerySet[Scheme]:
    return Scheme.objects.filter(is_active=True).order_by("name")


EXPIRING_DAYS = 60


def expiring_labels_card(*, operator, user, today: date):
    """The operator dashboard's card of the labels (of the user's operator and its services) that expire
    in the next EXPIRING_DAYS days, soonest first; nothing when none does. Registered with the operator
    area's card registry (CertificationsConfig.ready): the holder is found through the subject policies,
    as everywhere here, so this app still reads nothing of operators."""
    from django.utils.translation import gettext as _

    from operators.home_cards import HomeCard

    awards = list(
        award_qs_for_holder(user=user)
        .filter(
            status=Award.Status.VERIFIED, expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_DAYS)
        )
        .order_by("expires_on", "pk")
    )
    if not awards:
        return None
    return HomeCard(_("Labels expiring soon"), "certifications/includes/expiring_card.html", {"awards": awards}, 30)
