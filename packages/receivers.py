"""Signal receivers of packages (connected in PackagesConfig.ready), each calling one service.

Why a signal on Oscar's basket Line rather than a fork of the basket app: a line disappears in more
places than the basket page's formset (the DELETE box or quantity 0 in `BasketView.formset_valid`,
`remove_deleted_forms` when another line is invalid, `Basket.merge_line` at login, `Basket.flush`,
a basket deleted with its lines). A fork would have to override the view, the model methods and carry
Oscar's basket migration chain, and would still miss a cascade. `post_delete` sees every one of them
(Django sends it for each cascaded and queryset-deleted row when a receiver is connected). The
receiver holds no rule: it hands the line id to `package_basket_line_release` once the deletion is
committed, so a rolled-back deletion keeps its places.
"""

from django.db import transaction


def basket_line_deleted(sender, instance, **kwargs):
    from .services import package_basket_line_release

    line_id = instance.pk  # Django clears the instance's pk after the signal: keep it now
    transaction.on_commit(lambda: package_basket_line_release(line_id=line_id))


def _sync_after_commit(*, service_ids=(), operator_id=None):
    """Sync the automatic single-service packages once the change is committed (the sync then sees
    it, e.g. a rule's generated slots). `robust`: a failing sync is logged, never the operator's
    save; running `manage.py sync_single_services` brings every package in line again.

    Changes of one transaction are coalesced: the services and operators to sync collect on the
    connection and the first callback after the commit syncs each of them once (the later callbacks
    find nothing left). Saving an operator's seasons, rates and rules in one transaction would
    otherwise sync the same package once per row (the demo's operators: 882 syncs instead of ~100)."""
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault("_single_service_sync", {"services": set(), "operators": set()})
    pending["services"].update(service_ids)
    if operator_id is not None:
        pending["operators"].add(operator_id)
    transaction.on_commit(lambda: _sync_pending(pending), robust=True)


def _sync_pending(pending: dict) -> None:
    """Run the syncs collected by _sync_after_commit (ids left by a rolled-back block are synced too:
    the sync is idempotent, it only finds nothing to change)."""
    from .services import service_packages_sync

    services, operators = set(pending["services"]), set(pending["operators"])
    pending["services"].clear()
    pending["operators"].clear()
    if services:
        service_packages_sync(service_ids=sorted(services))
    for operator_id in sorted(operators):
        service_packages_sync(operator_id=operator_id)


def service_changed(sender, instance, **kwargs):
    """A service was saved: its name, text, activity or on-request flag may have changed."""
    if not kwargs.get("raw"):
        _sync_after_commit(service_ids=[instance.pk])


def operator_changed(sender, instance, **kwargs):
    """An operator was saved (approved, suspended, renamed, moved): every service of it."""
    if not kwargs.get("raw"):
        _sync_after_commit(operator_id=instance.pk)


def service_part_changed(sender, instance, **kwargs):
    """A season, availability rule or operator photo changed: the service's (or operator's) package
    price, days or photos. Rates go through their season."""
    if kwargs.get("raw"):
        return
    if hasattr(instance, "operator_id") and not hasattr(instance, "service_id"):
        _sync_after_commit(operator_id=instance.operator_id)
    else:
        _sync_after_commit(service_ids=[instance.service_id])


def rate_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    from operators.models import Season

    service_id = Season.objects.filter(pk=instance.season_id).values_list("service_id", flat=True).first()
    if service_id is not None:
        _sync_after_commit(service_ids=[service_id])


def service_availability_changed(sender, service_id, **kwargs):
    """A service's slots were generated in bulk (operators.signals): its package's "from" price."""
    _sync_after_commit(service_ids=[service_id])
