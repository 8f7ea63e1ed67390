"""Plans grant benefits from one table; every page lists exactly what each plan includes."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.billing.models import Benefit, Plan
from broadsheet.core import generations
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def table() -> dict[str, Benefit]:
    f.publication()
    plans = f.demo_plans()
    benefits = {
        code: Benefit.objects.get_or_create(code=code, defaults={"name": name, "description": desc})[0]
        for code, name, desc in [
            ("premium", "Premium stories", "About thirty a day, picked by our editors."),
            ("epaper", "E-paper", "The daily print edition as a PDF."),
            ("archive", "Archive back to 1997", "Every story since 1997, searchable."),
        ]
    }
    for plan in plans:
        plan.benefits.add(benefits["premium"], benefits["epaper"])
    Plan.objects.get(slug="super-saver").benefits.add(benefits["archive"])
    generations.bump("plans")
    return benefits


def test_paywall_and_plan_page_list_what_each_plan_includes(client: Client, table: dict) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    for path in (story.url, "/subscribe/"):
        body = client.get(path).content.decode()
        saver = body[body.index('data-plan="super-saver"') :]
        saver = saver[: saver.index("</li>\n")] if "</li>\n" in saver else saver
        assert "Archive back to 1997" in saver, path
        quarterly = body[body.index('data-plan="smart-quarterly"') : body.index('data-plan="smart-essential"')]
        assert "Archive back to 1997" not in quarterly and "E-paper" in quarterly, path
        assert "The daily print edition as a PDF." in body


def test_when_every_plan_is_the_same_the_table_says_so_once(client: Client) -> None:
    f.publication()
    f.demo_plans()
    body = client.get("/subscribe/").content.decode()
    assert "Included in every plan" in body
    assert "plan-benefits" not in body


def test_account_page_lists_the_benefits_held_in_the_table_words(client: Client, table: dict) -> None:
    client.force_login(f.subscriber())
    body = client.get("/account/").content.decode()
    assert "Your plan includes" in body
    assert "Premium stories" in body and "The daily print edition as a PDF." in body
    assert "Archive back to 1997" not in body  # Smart Essential does not include it
