"""Wagtail's "History" page of an object (ModelViewSet's history view: who saved it in the admin),
with the field changes django-auditlog recorded below it (marketplace.core.history), wherever they were
made: the admin, the operator area, a service or a task. A viewset opts in with
`history_view_class = changes_history_view("contract")`."""

from wagtail.admin.views.generic.history import HistoryView

from marketplace.core.history import history_for


class ChangesHistoryView(HistoryView):
    template_name = "includes/wagtail_history.html"
    history_tag: str | None = None  # also the records tagged with this object (a contract's net prices)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tags = {self.history_tag: self.object.pk} if self.history_tag else None
        context["history"] = history_for(objects=[self.object], tags=tags)
        return context


def changes_history_view(tag: str | None = None) -> type[ChangesHistoryView]:
    return type("ChangesHistoryView", (ChangesHistoryView,), {"history_tag": tag})
