"""Labels in any template, for any subject, without the template knowing where they come from.

{% load certification_tags %}
{% label_badges service %}                         badges with logos, linking to each award's page
{% labels_for products as labels_by_pk %}          one batch for a page of cards, then
{% label_badges product labels=labels_by_pk %}     each card reads from the batch (no query)
{% subject_labels package as labels %}             the Label objects, to lay out yourself
{% schema_org_labels operator as data %}           {"award": [...], "hasCertification": [...]}
{% schema_org_labels_json operator %}              the same as JSON text, for a JSON-LD script
"""

from django import template

from marketplace.core.json_ld import json_ld_text

from ..selectors import labels_for_subjects, subject_schema_org
from ..selectors import subject_labels as select_subject_labels

register = template.Library()


@register.simple_tag
def subject_labels(subject):
    return select_subject_labels(subject=subject) if subject is not None else []


@register.simple_tag
def labels_for(subjects):
    return labels_for_subjects(subjects=list(subjects or []))


@register.inclusion_tag("certifications/includes/label_badges.html")
def label_badges(subject, labels=None, size="sm"):
    if labels is not None and subject is not None:
        found = labels.get(subject.pk, []) if isinstance(labels, dict) else labels
    else:
        found = select_subject_labels(subject=subject) if subject is not None else []
    return {"labels": found, "size": size}


@register.simple_tag(takes_context=True)
def schema_org_labels(context, subject):
    return subject_schema_org(subject=subject, request=context.get("request")) if subject is not None else {}


@register.simple_tag(takes_context=True)
def schema_org_labels_json(context, subject):
    """JSON text safe inside <script type="application/ld+json"> (<, > and & escaped)."""
    data = schema_org_labels(context, subject)
    return json_ld_text(data)
