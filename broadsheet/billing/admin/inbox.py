"""Admin for the webhook inbox and the subscription ledger: both read-only records.

Staff look here for events that matched nothing (a refund made in the gateway's
dashboard, an event for a subscription we do not know yet) and for events whose
handling failed; "handle again" re-runs the handler for those.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from broadsheet.billing.models import InboxEvent, LedgerEntry
from broadsheet.billing.webhooks.inbox import RETRYABLE, inbox_handle
from broadsheet.core import clock


class ReadOnlyAdmin[M: InboxEvent | LedgerEntry](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(InboxEvent)
class InboxEventAdmin(ReadOnlyAdmin[InboxEvent]):
    list_display = [
        "received_at",
        "gateway",
        "event_id",
        "gateway_type",
        "type",
        "status",
        "deliveries",
        "subscription",
    ]
    list_filter = ["gateway", "status", "type"]
    search_fields = ["=event_id"]
    date_hierarchy = "received_at"
    list_select_related = ["subscription"]
    actions = ["handle_again"]

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("billing.change_inboxevent")

    @admin.action(description="Handle again (failed or unmatched events)", permissions=["handle"])
    def handle_again(self, request: HttpRequest, queryset: QuerySet[InboxEvent]) -> None:
        at = clock.now()
        ids = list(queryset.filter(status__in=RETRYABLE).values_list("pk", flat=True))
        rows = [inbox_handle(inbox_event_id=pk, at=at, statuses=RETRYABLE) for pk in ids]
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to handle"
        level = messages.WARNING if counts.get(InboxEvent.Status.FAILED) else messages.INFO
        self.message_user(request, f"Handled {len(rows)} of {queryset.count()} selected: {summary}.", level)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin[LedgerEntry]):
    """Every transition of every subscription; search by subscription id (e.g. "=42") or the reader's e-mail."""

    list_display = ["subscription", "at", "what", "from_status", "to_status", "period", "amount_minor", "actor", "noop"]
    list_filter = ["what", "noop"]
    search_fields = ["=subscription__id", "subscription__user__email", "=event_id"]
    list_select_related = ["subscription__user", "subscription__plan"]
    date_hierarchy = "at"
