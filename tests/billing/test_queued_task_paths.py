"""A job queued before billing became packages still runs after the upgrade: the database queue
stores each job by its task's dotted path, and the old paths still lead to the tasks."""

from __future__ import annotations

import pytest
from django.tasks import Task
from django_tasks_db.models import DBTaskResult

from broadsheet.billing.renewals.tasks import billing_renew_due
from broadsheet.billing.subscriptions.plan_prices import billing_price_change_notify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old_path", "task"),
    [
        ("broadsheet.billing.tasks.billing_renew_due", billing_renew_due),
        ("broadsheet.billing.tasks.billing_price_change_notify", billing_price_change_notify),
    ],
)
def test_a_job_stored_under_the_old_path_finds_its_task(old_path: str, task: Task) -> None:  # type: ignore[type-arg]
    job: DBTaskResult = DBTaskResult(task_path=old_path, args_kwargs={"args": [], "kwargs": {}}, backend_name="default")
    found = job.task
    assert found.func is task.func
