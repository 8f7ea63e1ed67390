"""Where billing's tasks were before billing became packages, kept for jobs already queued.

The database queue stores a job by its task's dotted path. A renewal run or a price-change
notice queued under `broadsheet.billing.tasks.…` before an upgrade still finds its task here;
the tasks themselves live in `renewals/tasks.py` and `subscriptions/plan_prices.py`.
"""

from broadsheet.billing.renewals.tasks import billing_renew_due
from broadsheet.billing.subscriptions.plan_prices import billing_price_change_notify

__all__ = ["billing_price_change_notify", "billing_renew_due"]
