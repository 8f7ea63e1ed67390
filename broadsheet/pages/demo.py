"""The demo's standing pages, in our own words; the publisher rewrites them in the desk."""

from __future__ import annotations

from broadsheet.pages.models import StandingPage

K = StandingPage.Kind

PAGES: tuple[tuple[str, str, str], ...] = (
    (
        K.ABOUT,
        "About us",
        "<p>The Broadsheet Daily is an independent business and policy newspaper published from Mumbai. "
        "Our reporters cover the economy, markets, companies and the states; our analysts explain what the "
        "numbers mean for readers' money.</p>"
        "<p>Stories marked with an agency's sign-off come from the wire agencies we subscribe to; no journalist "
        "of ours was involved in writing them.</p>"
        "<h2>Our standards</h2><p>We correct errors promptly and say so at the foot of the story. Opinion pieces "
        "are labelled as opinion and are the views of their authors.</p>",
    ),
    (
        K.CONTACT,
        "Contact",
        "<h2>Newsroom</h2><p>News tips and corrections: "
        '<a href="mailto:newsdesk@example.com">newsdesk@example.com</a></p>'
        "<h2>Subscriptions</h2><p>Help with a plan, a payment or an invoice: "
        '<a href="mailto:subscriptions@example.com">subscriptions@example.com</a>, '
        "Monday to Saturday, "
        "10 am to 6 pm.</p>"
        '<h2>Advertising</h2><p><a href="mailto:ads@example.com">ads@example.com</a></p>'
        "<h2>Office</h2><p>Demo House, 1 Example Road, Mumbai 400001</p>",
    ),
    (
        K.PRIVACY,
        "Privacy policy",
        "<p>We keep what we need to run your account and your subscription: your e-mail address, your plan and "
        "payments, the devices you sign in on, and which stories you opened this month for the free-story "
        "count. We do not sell any of it.</p>"
        "<p>Readers without an account are counted by a first-party cookie and a keyed hash of their network "
        "and browser that changes every month; we never store the address itself.</p>"
        "<p>Payments are handled by our payment gateway; we never see or keep your card number. To see or "
        "delete your data, write to the grievance officer below.</p>",
    ),
    (
        K.TERMS,
        "Terms of use",
        "<p>A plan renews automatically at the end of each period at the price we wrote to you about before the "
        "charge; you can turn renewal off at any time from your account page and keep reading until the period "
        "ends.</p><p>Stories are for your own reading. Sharing a link is welcome; copying whole stories is not.</p>",
    ),
    (
        K.GRIEVANCE,
        "Grievance redressal",
        "<p>Under the Information Technology (Intermediary Guidelines and Digital Media Ethics Code) Rules, "
        "2021, readers may raise a grievance about our content with the grievance officer named here. We "
        "acknowledge every grievance within 24 hours and decide it within 15 days.</p>",
    ),
)

GRIEVANCE_OFFICER = {
    "grievance_officer_name": "Priya Menon",
    "grievance_officer_email": "grievance@example.com",
    "grievance_officer_phone": "+91 22 5550 0100",
    "grievance_officer_address": "Demo House, 1 Example Road, Mumbai 400001",
}


def pages_seed() -> int:
    """Create the pages that are missing; returns how many were created."""
    created = 0
    for kind, title, body in PAGES:
        _, made = StandingPage.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
        created += int(made)
    return created
