"""A renewal batch's charges asked of their gateways: the answers, in order, and what a gateway's error means.

Called by `run` outside any transaction, with each charge's payment row (and
its idempotency key) already committed; nothing here writes. On PostgreSQL the
charges are asked from several threads at once, each on its own connection;
elsewhere (or inside a transaction) one `charge_many` per gateway, in order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from django.db import connection

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import (
    ActionRequired,
    ChargeRequest,
    ChargeResult,
    ChargeStatus,
    Gateway,
    GatewayError,
    GatewayUnavailable,
    PaymentDeclined,
)
from broadsheet.billing.models import Payment, Subscription
from broadsheet.billing.rules.renewal import Action

log = logging.getLogger(__name__)

ACTION_NEEDED = "Your bank asked you to approve this payment. Please pay from your account page."

Charge = tuple[Subscription, Payment, Action]
Answer = ChargeResult | str  # the gateway's result, or an outcome that records nothing ("unavailable", "errors")
GatewayFor = Callable[[str], Gateway]  # the run's gateway instance of a name (one per thread)


def charges_ask(due: Sequence[Charge], gateway_for: GatewayFor) -> list[Answer]:
    """Every charge's answer, in order; in threads when the database allows (own connection each)."""
    threads = min(conf.renewal_gateway_threads(), len(due))
    if threads <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return _ask_in_order(due, gateway_for)
    answers: list[Answer | BaseException | None] = [None] * len(due)
    cursor = iter(range(len(due)))
    lock = threading.Lock()

    def work() -> None:
        try:
            while True:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                sub, payment, _ = due[index]
                try:
                    answers[index] = _ask(gateway_for, sub, payment)
                except BaseException as surprise:  # re-raised in the run's thread
                    answers[index] = surprise
        finally:
            connection.close()  # this thread's own connection (the test gateway's books use one)

    pool = [threading.Thread(target=work, name=f"renewal-charge-{n}") for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return [a for a in answers if a is not None and not isinstance(a, BaseException)]


def _ask_in_order(due: Sequence[Charge], gateway_for: GatewayFor) -> list[Answer]:
    """One `charge_many` per gateway: a batch call where the gateway has one, else one charge each."""
    answers: list[Answer | None] = [None] * len(due)
    by_gateway: dict[str, list[int]] = {}
    for index, (sub, _, _) in enumerate(due):
        by_gateway.setdefault(sub.gateway, []).append(index)
    for name, indexes in by_gateway.items():
        gateway = gateway_for(name)
        results = gateway.charge_many([_request(due[i][0], due[i][1]) for i in indexes])
        for i, result in zip(indexes, results, strict=True):
            answers[i] = result if isinstance(result, ChargeResult) else _refused(due[i][0], result)
    return [a for a in answers if a is not None]


def _ask(gateway_for: GatewayFor, sub: Subscription, payment: Payment) -> Answer:
    try:
        return gateway_for(sub.gateway).charge(_request(sub, payment))
    except GatewayError as error:
        return _refused(sub, error)


def _refused(sub: Subscription, error: GatewayError) -> Answer:
    """What a gateway's error means for the run."""
    if isinstance(error, GatewayUnavailable):
        log.warning("renewal of subscription %s: gateway unavailable (%s); next run retries", sub.pk, error)
        return "unavailable"
    if isinstance(error, ActionRequired):
        return ChargeResult(status=ChargeStatus.DECLINED, gateway_payment_id="", message=ACTION_NEEDED)
    if isinstance(error, PaymentDeclined):
        return ChargeResult(status=ChargeStatus.DECLINED, gateway_payment_id="", message=error.message)
    log.error("renewal of subscription %s: the gateway refused the request", sub.pk, exc_info=error)
    return "errors"


def _request(sub: Subscription, payment: Payment) -> ChargeRequest:
    return ChargeRequest(
        idempotency_key=payment.idempotency_key,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        customer_ref=sub.customer_ref,
        mandate_ref=sub.mandate_ref,
        description=f"{payment.plan.name}: period {payment.period + 1}",
        customer_email=sub.user.email,
        metadata={"subscription": str(sub.pk), "period": str(payment.period), "attempt": str(payment.attempt)},
    )
