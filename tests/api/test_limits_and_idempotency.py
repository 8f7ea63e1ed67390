"""Rate limits answer 429 with Retry-After; an Idempotency-Key makes a retried write harmless."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.api.limits import window_at
from broadsheet.readers.models import Device
from tests import factories as f
from tests.api.helpers import bearer, get, send, token_for

pytestmark = pytest.mark.django_db


def test_the_window_tells_how_long_to_wait() -> None:
    assert window_at(120.0, 60).retry_after == 60
    assert window_at(179.2, 60).retry_after == 1
    assert window_at(150.0, 60).index == 2


def test_a_token_over_its_limit_gets_429_with_retry_after_and_others_carry_on(settings: object) -> None:
    settings.BROADSHEET_API_RATE_PER_TOKEN = 3  # type: ignore[attr-defined]
    f.publication()
    busy, calm = token_for(f.reader()), token_for(f.reader())
    client = Client()
    assert [get(client, "/api/v1/me", busy)[0] for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/me", **bearer(busy))
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert get(client, "/api/v1/me", calm)[0] == 200


def test_an_address_over_its_limit_gets_429_whatever_the_token(settings: object) -> None:
    settings.BROADSHEET_API_RATE_PER_ADDRESS = 2  # type: ignore[attr-defined]
    f.publication()
    client = Client()
    assert [get(client, "/api/v1/sections", REMOTE_ADDR="203.0.113.5")[0] for _ in range(2)] == [200, 200]
    assert get(client, "/api/v1/sections", token_for(f.reader()), REMOTE_ADDR="203.0.113.5")[0] == 429
    assert get(client, "/api/v1/sections", REMOTE_ADDR="203.0.113.6")[0] == 200


def test_a_retried_sign_in_with_the_same_key_is_the_same_device_with_a_fresh_token() -> None:
    f.publication()
    user = f.reader()
    body = {"email": user.email, "password": f.PASSWORD}
    first = send(Client(), "post", "/api/v1/auth/token", body, HTTP_IDEMPOTENCY_KEY="k-123")
    again = send(Client(), "post", "/api/v1/auth/token", body, HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["device"]["id"] == again.json()["device"]["id"]
    assert Device.objects.filter(user=user).count() == 1
    assert get(Client(), "/api/v1/me", again.json()["token"])[0] == 200
    assert get(Client(), "/api/v1/me", first.json()["token"])[0] == 401  # the lost answer's token is void
    from broadsheet.api.models import IdempotencyRecord

    assert all(again.json()["token"] not in r.body for r in IdempotencyRecord.objects.all())  # never stored


def test_the_same_key_for_a_different_request_is_refused() -> None:
    f.publication()
    user = f.reader()
    send(
        Client(), "post", "/api/v1/auth/token", {"email": user.email, "password": f.PASSWORD}, HTTP_IDEMPOTENCY_KEY="k"
    )
    other = send(
        Client(), "post", "/api/v1/auth/token", {"email": user.email, "password": "x"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_a_retried_device_sign_out_answers_as_the_first_did() -> None:
    f.publication()
    user = f.reader()
    this = token_for(user)
    token_for(user)
    other_id = Device.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True)[0]
    first = send(Client(), "delete", f"/api/v1/me/devices/{other_id}", token=this, HTTP_IDEMPOTENCY_KEY="d1")
    again = send(Client(), "delete", f"/api/v1/me/devices/{other_id}", token=this, HTTP_IDEMPOTENCY_KEY="d1")
    assert first.status_code == again.status_code == 204 and again["Idempotent-Replayed"] == "true"
    without_key = send(Client(), "delete", f"/api/v1/me/devices/{other_id}", token=this)
    assert without_key.status_code == 404  # it was signed out once; a fresh request says so


def test_a_problem_type_says_what_it_means() -> None:
    f.publication()
    assert Client().get("/api/problems/token_revoked").json()["title"] == "This device has been signed out"
    assert Client().get("/api/problems/no_such_code").status_code == 404
