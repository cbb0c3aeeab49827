"""The history of who changed what on the business records (prices, capacity, closures, rules, service
details, operator profiles, contracts, label decisions, orders), read for people.

Why django-auditlog rather than django-simple-history: auditlog keeps ONE table (`auditlog.LogEntry`)
with each change as a JSON diff ("field: [old, new]"), registered from settings
(AUDITLOG_INCLUDE_TRACKING_MODELS) without touching the models' classes or migrations;
simple-history adds a shadow table (and a migration) per tracked model, i.e. fifteen new tables here,
and copies every column on every save even when one price changed. Auditlog's middleware records the
request's user as the actor of every change made while serving it; changes made outside a request
(Celery tasks, management commands, the nightly jobs) have no actor and read as "system". Bulk writes
(`bulk_create`, `.update()`: a rule generating a season of slots, held/booked counters) are not logged,
which is what we want: the operator's decisions are history, the counters are not.

How an entry is found again: each tracked model says which records it belongs to through
`get_additional_data()` (auditlog stores it in `LogEntry.additional_data`), e.g. a rate
`{"service": 7}`, so a service's page lists the changes of its seasons, rates, rules and slots, even
of the ones deleted since.

Public API:
    history_tags(**tags) -> dict                    what a model's get_additional_data returns
    history_for(*, tags=None, objects=(), limit=100) -> list[HistoryEntry]   (tags: {"service": 7 or [7, 8]})
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from marketplace.core.dates import format_day, format_day_time, weekday_names

NONE_VALUES = {"None", "", None}
ACTIONS = {0: pgettext_lazy("history", "Created"), 1: pgettext_lazy("history", "Changed"),
           2: pgettext_lazy("history", "Deleted")}  # fmt: skip


def history_tags(**tags) -> dict:
    """The records a change belongs to ({"service": 7, "operator": 3}), for a model's get_additional_data:
    ids only (no None), so a history page finds the change with one JSON lookup."""
    return {key: value for key, value in tags.items() if value is not None}


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None  # None on a creation: "Price: 30.00", not "Price: — → 30.00"
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.new}" if self.old is None else f"{self.field}: {self.old} → {self.new}"


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    actor: str
    action: str
    subject: str  # what changed: "Rate: Adult €30.00"
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def is_system(self) -> bool:
        return self.actor == _("system")


def _display_value(model_field, value) -> str:
    """One stored value ("True", "2026-12-07", "56", "adult") as people read it, in the page's language."""
    if value in NONE_VALUES:
        return "—"
    if model_field is None:
        return str(value)
    if model_field.name == "weekdays":
        return weekday_names(str(value)) or _("every day")
    choices = dict(model_field.flatchoices) if model_field.choices else None
    if choices:
        return str(choices.get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if str(value) == "True" else _("no")
    if isinstance(model_field, models.DateTimeField):
        try:
            return format_day_time(dt.datetime.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(model_field, models.DateField):
        try:
            return format_day(dt.date.fromisoformat(str(value)[:10]))
        except ValueError:
            return str(value)
    return str(value)


def _changes(entry) -> tuple[Change, ...]:
    """The entry's fields as people read them: a change's old → new; a creation's values that were set
    (no id, no empty ones); nothing for a deletion (the subject says what went)."""
    from auditlog.models import LogEntry

    if entry.action == LogEntry.Action.DELETE:
        return ()
    created = entry.action == LogEntry.Action.CREATE
    model = entry.content_type.model_class()
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        old, new = (list(values) + [None, None])[:2] if isinstance(values, list | tuple) else (None, values)
        if created and (name == "id" or new in NONE_VALUES):
            continue
        try:
            model_field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and not getattr(model_field, "concrete", False):
            continue  # a reverse relation ("slots") auditlog lists on creation: not a detail anyone set
        label = str(getattr(model_field, "verbose_name", name))
        rows.append(Change(label[:1].upper() + label[1:], None if created else _display_value(model_field, old),
                           _display_value(model_field, new)))  # fmt: skip
    return tuple(rows)


def _actor(entry) -> str:
    if entry.actor_id and entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.email or entry.actor.get_username()
    return entry.actor_email or _("system")


def _subject(entry) -> str:
    model = entry.content_type.model_class()
    name = str(model._meta.verbose_name) if model else entry.content_type.model
    return f"{name[:1].upper()}{name[1:]}: {entry.object_repr}"


def history_for(*, tags: dict | None = None, objects=(), limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` changes of `objects` and of every record tagged with one of `tags` ({"service":
    7} for a service's seasons, rates, rules and slots; a list of ids for several), newest first, for display.

    Callers decide who may see it: a view passes only the objects of the operator (or, for staff, any)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    condition = Q()
    for tag, ids in (tags or {}).items():
        if isinstance(ids, list | tuple | set):
            condition |= Q(**{f"additional_data__{tag}__in": list(ids)}) if ids else Q(pk__in=[])
        else:
            condition |= Q(**{f"additional_data__{tag}": ids})
    for obj in objects:
        condition |= Q(content_type=ContentType.objects.get_for_model(obj.__class__), object_pk=str(obj.pk))
    if not condition:
        return []
    rows = LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp", "-pk")
    return [
        HistoryEntry(
            when=entry.timestamp,
            actor=_actor(entry),
            action=str(ACTIONS.get(entry.action, "")),
            subject=_subject(entry),
            changes=_changes(entry),
        )  # fmt: skip
        for entry in rows[:limit]
    ]
