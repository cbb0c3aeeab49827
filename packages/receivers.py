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
