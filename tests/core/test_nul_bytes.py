"""A NUL character in a request is refused with a clear answer, never a server error.

PostgreSQL cannot hold U+0000 in text, so one that reached a lookup used to end in a 500
(the API schema fuzz found `/api/v1/articles?section=%00`)."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.core.nul_bytes import holds_nul
from tests import factories as f
from tests.api.helpers import get, send, token_for

pytestmark = pytest.mark.django_db


def test_nul_is_found_anywhere_in_a_json_value() -> None:
    assert holds_nul({"a": [1, {"b": "x\x00"}]})
    assert holds_nul({"k\x00": 1})
    assert not holds_nul({"a": [1, None, {"b": "plain \\u0000 text"}]})


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=budget&section=%00",
        "/archive/?section=%00",
        "/markets/%00/",
        "/newsletters/?list=%00x",
    ],
)
def test_a_page_asked_with_a_nul_answers_400_with_a_page_a_reader_can_read(path: str) -> None:
    f.publication()
    response = Client().get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not read that request" in page and "front page" in page
    assert "{{" not in page and "{%" not in page


def test_a_form_posted_with_a_nul_answers_400_and_signs_nobody_in() -> None:
    user = f.reader()
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email + "\x00", "password": f.PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_api_answers_a_nul_in_a_parameter_with_a_documented_problem() -> None:
    f.publication()
    f.story()
    status, body = get(Client(), "/api/v1/articles?section=%00")
    assert status == 422 and body["code"] == "invalid_request"
    status, body = get(Client(), "/api/v1/search?q=budget&section=%00")
    assert status == 422 and body["code"] == "invalid_request"
    # The search text alone is the search's to read: a NUL in it is a space, as on the web.
    status, body = get(Client(), "/api/v1/search?q=%00budget")
    assert status == 200 and body["query"] == "budget"
    assert get(Client(), "/api/v1/articles")[0] == 200


def test_the_api_answers_a_nul_in_a_json_body_with_a_problem_and_no_token() -> None:
    user = f.reader()
    response = send(Client(), "POST", "/api/v1/auth/token", {"email": user.email + "\x00", "password": f.PASSWORD})
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    assert "token" not in response.json()
    assert get(Client(), "/api/v1/me", token_for(user))[0] == 200
