"""Editions for the tests: real PDFs laid out by `epaper.layout`, and hand-written broken ones.

Every page of a built edition prints its own token (`tok…qz`), so a leak test can
look for any page's text in any response.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

from django.utils import timezone
from fpdf import FPDF

from broadsheet.billing.models import Benefit, Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.epaper import layout, selectors
from broadsheet.epaper.models import Edition, Printing
from broadsheet.epaper.rendering import printing_render
from broadsheet.epaper.uploads import Upload, edition_upload
from broadsheet.readers.models import User
from tests import factories as f

_seq = itertools.count(1)
BENEFIT_NAMES = {"premium": "Premium stories", "epaper": "E-paper"}


@dataclass
class Built:
    data: bytes
    tokens: list[str]  # one per page, in order


def edition_bytes(pages: int = 3, *, edition: str = "Mumbai", day: date | None = None, words: str = "") -> Built:
    """A real edition PDF of `pages` pages, each with two stories and its own token."""
    run = next(_seq)
    tokens = [f"tok{run}p{n}qz" for n in range(1, pages + 1)]
    plans = []
    for n, token in enumerate(tokens, start=1):
        stories = tuple(
            layout.PrintStory(
                headline=f"Story {s} of page {n}",
                standfirst="A standfirst that says what happened.",
                byline="By A Reporter",
                paragraphs=(
                    f"The first paragraph of story {s} on page {n} {words}.",
                    "A second paragraph with more of the same, long enough to wrap across lines of a column. " * 3,
                ),
            )
            for s in (1, 2)
        )
        plans.append(layout.PagePlan(section="Front page" if n == 1 else "News", stories=stories, code=token))
    plan = layout.EditionPlan(
        publication="The Test Gazette",
        tagline="Tests, read closely.",
        edition=edition,
        day=day or date(2026, 11, 30),
        pages=tuple(plans),
    )
    return Built(data=layout.edition_pdf(plan), tokens=tokens)


def upload_of(data: bytes, name: str = "edition.pdf") -> Upload:
    return Upload(stream=BytesIO(data), size_bytes=len(data), name=name)


def published(
    pages: int = 3, *, edition: str = "Mumbai", day: date | None = None, words: str = ""
) -> tuple[Edition, Built]:
    """An edition uploaded and rendered, live for readers (yesterday's, unless `day` is given)."""
    day = day or selectors.today() - timedelta(days=1)
    built = edition_bytes(pages, edition=edition, day=day, words=words)
    printing = edition_upload(
        upload=upload_of(built.data),
        day=day,
        name=edition,
        replace=True,
        actor_id=None,
        at=timezone.now(),
        today=selectors.today(),
        enqueue=False,
    )
    printing_render(printing_id=printing.pk)
    return Edition.objects.select_related("current").get(pk=printing.edition_id), built


def live_printing(edition: Edition) -> Printing:
    edition.refresh_from_db()
    assert edition.current is not None
    return edition.current


# Readers ------------------------------------------------------------------------------------


def _plan(slug: str, name: str, codes: tuple[str, ...]) -> Plan:
    plan, created = Plan.objects.get_or_create(
        slug=slug, defaults={"name": name, "price_minor": 270000, "period_months": 12}
    )
    if created:
        for code in codes:
            benefit, _ = Benefit.objects.get_or_create(code=code, defaults={"name": BENEFIT_NAMES[code]})
            plan.benefits.add(benefit)
    return plan


def epaper_subscriber(email: str | None = None) -> User:
    user = f.reader(email)
    plan = _plan("with-epaper", "With E-paper", ("premium", "epaper"))
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now() - timedelta(days=1))
    return user


def subscriber_without_epaper(email: str | None = None) -> User:
    user = f.reader(email)
    plan = _plan("digital-only", "Digital only", ("premium",))
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now() - timedelta(days=1))
    return user


# Hand-written PDFs for the cases a layout program never produces ------------------------------


def raw_pdf(kids: list[str], page_texts: dict[int, str]) -> bytes:
    """A PDF whose page tree lists `kids` (object references such as "3 0 R"); objects 3, 4, … are pages
    with the text given for them. A kid naming an object that does not exist is a page pdfium cannot load."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>",
    ]
    font_ref = 3 + 2 * len(page_texts)
    for number in sorted(page_texts):
        content_ref = len(objects) + 2
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 600] /Contents {content_ref} 0 R "
            f"/Resources << /Font << /F1 {font_ref} 0 R >> >> >>"
        )
        stream = f"BT /F1 24 Tf 40 500 Td ({page_texts[number]}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_with_broken_page() -> tuple[bytes, list[str]]:
    """Three pages; the second is listed in the page tree but missing, so it cannot be rendered."""
    tokens = [f"tok{next(_seq)}good{n}qz" for n in (1, 3)]
    data = raw_pdf(["3 0 R", "99 0 R", "5 0 R"], {1: tokens[0], 3: tokens[1]})
    return data, tokens


def pdf_with_no_pages() -> bytes:
    return raw_pdf([], {})


def encrypted_pdf() -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text="A locked edition")
    doc.set_encryption(owner_password="owner-secret", user_password="reader-secret")
    return bytes(doc.output())


def png_bytes() -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()
