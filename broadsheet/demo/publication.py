"""The demo publication itself: its settings, sections, authors, agencies and tags.

Everything in the demo is our own invented writing: the companies, people, figures
and quotes are fictional. Nothing here touches the database; `seed_demo` writes the rows.
"""

from __future__ import annotations

import zoneinfo

IST = zoneinfo.ZoneInfo("Asia/Kolkata")

PUBLICATION: dict[str, object] = {
    "name": "The Broadsheet Daily",
    "legal_name": "Broadsheet Media Private Limited",
    "tagline": "Business, policy and the country, read closely.",
    "time_zone": "Asia/Kolkata",
    "currency": "INR",
    "anonymous_free_limit": 5,
    "registered_free_limit": 5,
    "registration_wall": False,
}

# (slug, name, description); the position is the order given here.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("india", "India", "The country beyond the headlines: states, cities, courts and the weather."),
    ("economy", "Economy", "Growth, prices, taxes and the policy that moves them."),
    ("markets", "Markets", "Stocks, bonds, the rupee and commodities, every trading day."),
    ("market-analysis", "Market Analysis", "Our analysts on what the numbers mean for your money."),
    ("companies", "Companies", "Results, deals, boardrooms and the people who run them."),
    ("technology", "Technology", "Start-ups, software, telecom and the digital public stack."),
    ("world", "World", "The world as it touches Indian business and Indian readers."),
    ("opinion", "Opinion", "Editorials, columns and arguments worth having."),
)

# Sections locked to a benefit of their own (slug → benefit code).
PREMIUM_SECTIONS: dict[str, str] = {"market-analysis": "market_analysis"}

# (slug, name, role, bio)
AUTHORS: tuple[tuple[str, str, str, str], ...] = (
    (
        "meera-raghunathan",
        "Meera Raghunathan",
        "Economics Editor",
        "Meera has covered the central bank, the budget and the states' finances for fifteen years.",
    ),
    (
        "arjun-kesavan",
        "Arjun Kesavan",
        "Markets Correspondent",
        "Arjun reports on equities and the rupee from the paper's Mumbai office.",
    ),
    (
        "farah-siddiqui",
        "Farah Siddiqui",
        "Political Editor",
        "Farah follows elections, Parliament and the politics of the states.",
    ),
    (
        "vikram-deshpande",
        "Vikram Deshpande",
        "Technology Writer",
        "Vikram writes about start-ups, payments and the people who build software in India.",
    ),
    (
        "ananya-bhattacharjee",
        "Ananya Bhattacharjee",
        "Companies Reporter",
        "Ananya covers manufacturing, family businesses and corporate results.",
    ),
    (
        "rohan-mathew",
        "Rohan Mathew",
        "Senior Correspondent, Chennai",
        "Rohan reports on the southern states, ports, cities and sport.",
    ),
    (
        "kavita-iyengar",
        "Kavita Iyengar",
        "Chief Market Analyst",
        "Kavita leads the Market Analysis desk and writes on valuations, bonds and personal finance.",
    ),
    (
        "suresh-nair",
        "Suresh Nair",
        "Opinion Editor",
        "Suresh edits the opinion pages and writes a column on public policy.",
    ),
    (
        "tenzing-dorje",
        "Tenzing Dorje",
        "World Affairs Correspondent",
        "Tenzing writes on trade, diplomacy and the Indian diaspora.",
    ),
    (
        "lakshmi-venkatraman",
        "Lakshmi Venkatraman",
        "Founding Editor",
        "Lakshmi edited the paper from its first web edition in 1997 until 2012.",
    ),
)

# (code, name) - both agencies are invented.
AGENCIES: tuple[tuple[str, str], ...] = (
    ("CPS", "Coromandel Press Service"),
    ("MWA", "Meridian Wire Agency"),
)

# (slug, name)
TAGS: tuple[tuple[str, str], ...] = (
    ("monsoon", "Monsoon"),
    ("rbi", "RBI"),
    ("inflation", "Inflation"),
    ("banking", "Banking"),
    ("startups", "Start-ups"),
    ("electric-vehicles", "Electric vehicles"),
    ("ports", "Ports and shipping"),
    ("cricket", "Cricket"),
    ("elections", "Elections"),
    ("agriculture", "Agriculture"),
    ("rupee", "Rupee"),
    ("ipo", "IPOs"),
    ("infrastructure", "Infrastructure"),
    ("artificial-intelligence", "Artificial intelligence"),
    ("trade", "Trade"),
    ("tax", "Tax"),
    ("education", "Education"),
    ("energy", "Energy"),
)
