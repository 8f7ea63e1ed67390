"""The demo's stories: pure data and a small deterministic body generator.

Stories carry their age relative to "now" (or a fixed date for the archive), and
`published_at_for` turns that into a timestamp; the same story and the same "now"
always give the same timestamp and the same body. Nothing here touches the database.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from broadsheet.demo.publication import IST

FREE, METERED, PREMIUM = "free", "metered", "premium"
ON_WEEKDAY = "{on_weekday}"
DRAFT, SCHEDULED, PUBLISHED = "draft", "scheduled", "published"


@dataclass(frozen=True, slots=True)
class Quote:
    """A line from a (fictional) person, set as its own paragraph."""

    speaker: str
    role: str
    words: str


@dataclass(frozen=True, slots=True)
class Story:
    """One demo article. Exactly one of `hours_ago` / `on` is set, unless it is a draft."""

    slug: str
    headline: str
    standfirst: str
    section: str
    paras: tuple[str, ...]
    quote: Quote | None = None
    access: str = METERED
    hours_ago: float | None = None
    on: datetime | None = None
    authors: tuple[str, ...] = ()
    agency: str | None = None
    desk: str = ""
    dateline: str = ""
    tags: tuple[str, ...] = ()
    top: bool = False
    status: str = PUBLISHED


def days(n: float, hours: float = 0) -> float:
    """An age in hours, written as days (and hours)."""
    return n * 24 + hours


def archive_date(year: int, month: int, day: int, hour: int = 7) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=IST)


def published_at_for(story: Story, now: datetime) -> datetime | None:
    """The story's publication time for a seed run at `now` (None for a draft)."""
    if story.on is not None:
        return story.on
    if story.hours_ago is None:
        return None
    return (now - timedelta(hours=story.hours_ago)).replace(second=0, microsecond=0)


def _quote_paragraph(quote: Quote, index: int) -> str:
    # Alternate the two usual forms so consecutive stories do not read alike.
    if index % 2:
        return f"“{quote.words},” {quote.speaker}, {quote.role}, said."
    return f"“{quote.words},” said {quote.speaker}, {quote.role}."


def _dateline(story: Story, published_at: datetime | None, agency_code: str | None) -> str:
    if not story.dateline or not agency_code:
        return ""
    if published_at is None:
        return f"{story.dateline} ({agency_code}) "
    local = published_at.astimezone(IST)
    return f"{story.dateline}, {local.strftime('%b')} {local.day} ({agency_code}) "


def _on_weekday(published_at: datetime | None) -> str:
    """The words "on Thursday" for the publication day in India, so wire copy matches its dateline."""
    if published_at is None:
        return "today"
    return "on " + published_at.astimezone(IST).strftime("%A")


def paragraphs_for(story: Story, published_at: datetime | None, index: int = 0) -> list[str]:
    """The story's paragraphs as plain text: the lead (with a wire dateline), the quote after the second.

    The only placeholder, ON_WEEKDAY, is filled in here; nothing unrendered survives.
    """
    weekday = _on_weekday(published_at)
    paras = [p.replace(ON_WEEKDAY, weekday) for p in story.paras]
    paras[0] = _dateline(story, published_at, story.agency) + paras[0]
    if story.quote is not None:
        paras.insert(min(2, len(paras)), _quote_paragraph(story.quote, index))
    return paras


def body_for(story: Story, published_at: datetime | None, index: int = 0) -> str:
    """The story's body HTML: one <p> a paragraph, text escaped."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs_for(story, published_at, index))


S = Story
Q = Quote

STORIES: tuple[Story, ...] = (
    # ---- the last 48 hours -------------------------------------------------------------------
    S(
        slug="monsoon-reaches-kerala-three-days-early",
        headline="Monsoon reaches Kerala three days ahead of schedule, forecasters say",
        standfirst="An early onset lifts hopes for sowing, but the weather office warns that a weak spell "
        "could follow once the rains move up the western coast.",
        section="india",
        hours_ago=2,
        top=True,
        authors=("rohan-mathew",),
        tags=("monsoon", "agriculture"),
        paras=(
            "The south-west monsoon arrived over the Kerala coast three days earlier than the weather office "
            "had forecast, with steady rain recorded at eleven of the fourteen stations it watches before "
            "declaring the onset. Thiruvananthapuram received 46 mm of rain in the 24 hours to 8.30 am, and "
            "fishing boats along the southern coast were told to stay in harbour.",
            "An early start does not by itself promise a good season. Forecasters expect the rain-bearing winds "
            "to push quickly up the western coast over the next week, followed by the lull that usually comes "
            "when the current loses strength over the Arabian Sea.",
            "For the farm economy the timing matters most in the rain-fed districts of Maharashtra, Karnataka "
            "and Telangana, where pulses and cotton go into the ground in the first fortnight after the rains. "
            "Reservoirs in the southern states hold 31% of their capacity, below the ten-year average, after a "
            "long and dry summer.",
            "Disaster response teams have been placed on standby in Idukki and Wayanad, where landslides closed "
            "roads during heavy spells last year. The Ernakulam district administration said storm drains in "
            "Kochi had been cleared, though residents of several low-lying wards reported waterlogging by the "
            "afternoon.",
        ),
        quote=Q(
            "Dr Nandini Pillai",
            "a scientist at the regional meteorological centre in Kochi",
            "The first week looks healthy and the moisture feed is strong, but we would caution farmers "
            "against sowing on the strength of a few good days",
        ),
    ),
    S(
        slug="rbi-holds-repo-rate-signals-room-to-ease",
        headline="RBI holds repo rate, signals room to ease if food prices cool",
        standfirst="The Monetary Policy Committee kept the policy rate unchanged for a fifth meeting but "
        "softened its language on inflation, lifting bond prices.",
        section="economy",
        hours_ago=4,
        top=True,
        authors=("meera-raghunathan",),
        tags=("rbi", "inflation", "banking"),
        paras=(
            "The Reserve Bank of India's Monetary Policy Committee left the repo rate unchanged at its meeting "
            "that ended this morning, but four of its six members said the case for a cut would strengthen if "
            "vegetable and pulse prices kept easing through the summer.",
            "The committee lowered its forecast for retail inflation in the current year by 30 basis points, "
            "citing a good rabi harvest and softer global oil prices. It kept its growth forecast unchanged and "
            "described private investment as broadening beyond the large listed companies.",
            "Bond markets took the statement as a signal. The yield on the ten-year government security fell "
            "seven basis points within an hour of the announcement, its biggest one-day drop in two months, and "
            "shares of state-run lenders rose as traders priced in gains on their bond holdings.",
            "Not every member was persuaded. One external member wrote in a note attached to the decision that "
            "the early monsoon had yet to prove itself and that cutting too soon would risk the credibility the "
            "central bank had rebuilt over the past two years.",
        ),
        quote=Q(
            "Priya Menon",
            "chief economist at Konark Finance",
            "This is the first time in a year the committee has told us what would make it move, and that "
            "alone is worth a rally in the short end of the curve",
        ),
    ),
    S(
        slug="markets-snap-four-day-slide-bank-stocks-recover",
        headline="Markets snap four-day slide as bank stocks recover",
        standfirst="Lenders led a broad rebound after the central bank's policy statement, while IT shares "
        "lagged on worries about client budgets.",
        section="markets",
        hours_ago=5,
        top=True,
        access=FREE,
        authors=("arjun-kesavan",),
        tags=("banking", "rbi"),
        paras=(
            "Indian shares ended four sessions of losses today as bank stocks, which had borne the brunt of the "
            "recent selling, climbed after the Reserve Bank's policy statement hinted at lower rates later in "
            "the year. The benchmark Sensex closed 1.1% higher and the broader Nifty 50 rose 1.2%.",
            "The banking index gained 2.4%, with public-sector lenders adding more than 3% on hopes of treasury "
            "gains from falling bond yields. Housing finance companies, whose margins are sensitive to borrowing "
            "costs, also rose.",
            "Information technology was the only major sector to fall. Two large software exporters slipped "
            "after a rival's chief executive told a conference that clients in North America were delaying "
            "decisions on new projects.",
            "Market breadth was strong: on the larger exchange, advancing shares outnumbered decliners by "
            "roughly two to one. Foreign investors were net buyers for the first time in six sessions, "
            "provisional exchange data showed.",
        ),
    ),
    S(
        slug="why-mid-cap-valuations-look-stretched",
        headline="Why mid-cap valuations look stretched after the rally",
        standfirst="Earnings have grown, but prices have grown faster. A look at where the gap is widest, and "
        "what it would take to close it.",
        section="market-analysis",
        hours_ago=7,
        top=True,
        access=PREMIUM,
        authors=("kavita-iyengar",),
        tags=("ipo",),
        paras=(
            "The mid-cap index has returned 38% over the past twelve months, more than twice the gain in the "
            "large-cap benchmark. Earnings of the companies in it grew too, by about 21%, but the difference "
            "between the two figures has gone into valuations, and that is where the risk now sits.",
            "On our count, mid-caps trade at 31 times the coming year's expected earnings, against a ten-year "
            "average of 22 and a large-cap multiple of 20. The premium is the widest it has been since the "
            "frothy months before the 2018 correction.",
            "The gap is not spread evenly. Capital goods, defence suppliers and railway contractors account for "
            "most of the stretch, with several trading at more than fifty times earnings on order books that "
            "will take four or five years to execute. Mid-sized private banks and drug makers, by contrast, "
            "trade close to their long-run averages.",
            "Two things could close the gap without a painful fall: earnings that beat forecasts for several "
            "quarters in a row, or a long sideways market in which prices stand still while profits catch up. "
            "Neither is unusual, but neither is what most investors who bought in the past six months expect.",
            "For readers holding mid-cap funds, we would not sell in a hurry, but we would stop adding lump "
            "sums, keep monthly investments going, and rebalance towards large-caps if the mid-cap share of a "
            "portfolio has drifted well above its target.",
        ),
    ),
    S(
        slug="vayu-mobility-raises-1200-crore-second-plant",
        headline="Vayu Mobility raises ₹1,200 crore to build a second scooter plant",
        standfirst="The Pune electric-scooter maker will use the money to double capacity and bring battery "
        "pack assembly in-house.",
        section="companies",
        hours_ago=9,
        top=True,
        authors=("ananya-bhattacharjee",),
        tags=("startups", "electric-vehicles"),
        paras=(
            "Vayu Mobility, the Pune-based maker of electric scooters, has raised ₹1,200 crore from a group of "
            "investors led by a Singapore sovereign fund, valuing the six-year-old company at about ₹9,000 "
            "crore, two people familiar with the deal said.",
            "The company plans to spend most of the money on a second factory near Chakan, which would lift its "
            "annual capacity from 3.5 lakh to 8 lakh scooters. It will also move battery pack assembly, now "
            "handled by a contract manufacturer, into its own plant by the end of next year.",
            "Vayu sold about 1.9 lakh scooters last financial year, making it the fifth-largest seller of "
            "electric two-wheelers. Its revenue more than doubled to ₹2,140 crore, though it remained loss-making "
            "as it spent on a network of 600 showrooms in smaller towns.",
            "The fundraise comes as demand for electric two-wheelers recovers from a slowdown that followed a "
            "cut in government subsidies. Dealers say buyers have returned as prices have fallen and as "
            "financing companies have grown more comfortable lending against battery-powered vehicles.",
        ),
        quote=Q(
            "Siddharth Kulkarni",
            "Vayu's co-founder and chief executive",
            "We could have raised more, but we wanted money for factories, not for discounts",
        ),
    ),
    S(
        slug="chennai-port-record-container-volume-single-shift",
        headline="Chennai port clears record container volume in a single shift",
        standfirst="Port officials credited new cranes and a paperless gate system for the milestone.",
        section="india",
        hours_ago=11,
        agency="CPS",
        desk="ksk",
        dateline="Chennai",
        tags=("ports", "infrastructure"),
        paras=(
            "Chennai port handled 2,412 twenty-foot equivalent units of containers in a single eight-hour shift, "
            "its highest since it began keeping shift-wise records, a port spokesperson said {on_weekday}.",
            "The previous record of 2,080 units was set last year. Officials attributed the improvement to four "
            "new quay cranes commissioned at the container terminal in the past six months and to a paperless "
            "gate system that has cut truck waiting times at the entrance.",
            "The port has also begun a pilot under which export containers from three inland depots move on "
            "dedicated rail rakes at night, reducing congestion on the roads leading to the harbour.",
            "Trade bodies welcomed the figures but said the road link to the port from the industrial belt "
            "around Sriperumbudur remained the main bottleneck for exporters in the region.",
        ),
        quote=Q(
            "K. Anbarasan",
            "a senior port official",
            "A record shift is good, but what matters to shippers is that every shift is a good shift",
        ),
    ),
    S(
        slug="tarang-payments-upi-outage-four-hours",
        headline="Tarang Payments hit by four-hour UPI outage; company blames data-centre failover",
        standfirst="Merchants reported failed transactions across several cities before services were "
        "restored in the evening.",
        section="technology",
        hours_ago=14,
        authors=("vikram-deshpande",),
        tags=("startups", "banking"),
        paras=(
            "Customers of Tarang Payments, one of the country's larger consumer payments apps, were unable to "
            "complete UPI transfers for nearly four hours yesterday after a switch between the company's two "
            "data centres failed, the company said in a statement late in the evening.",
            "Shopkeepers in Bengaluru, Hyderabad and Jaipur told The Broadsheet Daily that payments made through "
            "the app were declined or left pending, and several turned customers away or asked them to pay in "
            "cash. Other apps on the same network worked normally.",
            "Tarang said no money had been lost and that debits made during the outage would either complete or "
            "be reversed within 48 hours. It said a routine maintenance task had triggered the failover and "
            "that the backup site had not taken over the full load as designed.",
            "The outage is the second at the company this year. Industry executives said the payments regulator "
            "was likely to seek a detailed report, as it has after earlier disruptions at other apps.",
        ),
        quote=Q(
            "Aparna Rao",
            "Tarang's chief technology officer",
            "We tested this path every quarter and it failed on the one day it mattered; we owe our users a "
            "full account of why",
        ),
    ),
    S(
        slug="asia-europe-freight-rates-fall-third-week",
        headline="Freight rates on Asia-Europe route fall for a third straight week",
        standfirst="Extra ships on the route and slower orders in Europe have pushed container rates down by "
        "a fifth in a month.",
        section="world",
        hours_ago=18,
        access=FREE,
        agency="MWA",
        desk="rmd",
        dateline="Singapore",
        tags=("ports", "trade"),
        paras=(
            "Spot rates for shipping a forty-foot container from East Asia to northern Europe fell for a third "
            "consecutive week, shipping brokers said {on_weekday}, as carriers added capacity to the route and "
            "European importers held back orders.",
            "The average rate quoted by brokers fell about 6% from the previous week and is now roughly a fifth "
            "lower than a month ago. Rates to the Mediterranean fell by a similar margin, while trans-Pacific "
            "rates were broadly stable.",
            "Brokers said several large carriers had brought newly built vessels into service on the route in "
            "recent weeks, and that European retailers were carrying more stock than usual after a slow spring.",
            "Indian exporters of textiles and engineering goods, who ship to Europe mainly through transhipment "
            "hubs in Colombo and Singapore, are expected to benefit from the lower rates over the coming months.",
        ),
    ),
    S(
        slug="opinion-early-monsoon-grain-policy",
        headline="The monsoon is early. Our grain policy should not be late.",
        standfirst="Good rains give the government a few months of room. It should use them to fix how it "
        "buys, stores and releases food.",
        section="opinion",
        hours_ago=22,
        access=PREMIUM,
        authors=("suresh-nair",),
        tags=("monsoon", "agriculture", "inflation"),
        paras=(
            "Every early monsoon brings the same temptation: to treat the rain as a policy. Ministers will cite "
            "it, economists will fold it into their forecasts, and the hard questions about how the country "
            "manages its food will be put off for another year.",
            "Those questions have not gone away. Government warehouses still hold far more rice than any buffer "
            "norm requires, while wheat stocks ran low enough last year to force emergency sales. Procurement "
            "remains concentrated in a handful of states, and farmers elsewhere sell below the support price "
            "because no one comes to buy.",
            "A good season is precisely the time to change this. With prices easing, the government can reduce "
            "its rice holdings through open-market sales without a political fight, and it can widen "
            "procurement of pulses and millets without being accused of inflating food costs.",
            "It could also publish, every week, how much grain it holds and where. Traders guess at these "
            "numbers anyway, and guesses move prices more than facts do.",
            "None of this is glamorous. But the next bad monsoon will come, as it always does, and the country "
            "will face it with whatever system it built in the good years.",
        ),
    ),
    S(
        slug="gst-collections-rise-on-stronger-imports",
        headline="GST collections rise 11% on stronger imports",
        standfirst="Gross collections for the month crossed ₹1.9 lakh crore, with integrated GST on imports "
        "growing fastest.",
        section="economy",
        hours_ago=27,
        agency="CPS",
        desk="rmd",
        dateline="New Delhi",
        tags=("tax",),
        paras=(
            "Gross goods and services tax collections rose 11% last month from a year earlier to about ₹1.93 "
            "lakh crore, official data released {on_weekday} showed, helped by a sharp rise in tax collected on "
            "imports.",
            "Integrated GST on imported goods grew 16%, while revenue from domestic transactions grew 9%. Refunds "
            "to exporters rose 19%, bringing net collections growth down to a little over 9%.",
            "Among the larger states, collections grew fastest in Maharashtra, Karnataka and Tamil Nadu. Two "
            "north-eastern states reported a fall, which officials attributed to one-time payments in the "
            "same month last year.",
            "Tax experts said the figures suggested steady consumption, though they cautioned that a single "
            "month's data could be distorted by the timing of large refunds and by the settlement of disputes.",
        ),
    ),
    S(
        slug="rupee-quiet-strength-what-exporters-are-not-saying",
        headline="The rupee's quiet strength, and what exporters are not saying about it",
        standfirst="The currency has barely moved for months. Behind the calm is a central bank that buys "
        "every dip and a set of exporters who have stopped hedging.",
        section="markets",
        hours_ago=31,
        access=PREMIUM,
        authors=("arjun-kesavan",),
        tags=("rupee", "rbi", "trade"),
        paras=(
            "For most of the past six months the rupee has traded in a band narrower than one and a half per "
            "cent against the dollar, among the calmest stretches for any major emerging-market currency. "
            "Dealers describe the central bank as a patient buyer on every dip and a quiet seller on every spike.",
            "That stability has changed behaviour. Treasury heads at three mid-sized exporters told us they had "
            "cut the share of receivables they hedge from around 60% to less than a third, because forward "
            "premiums cost more than the currency has moved.",
            "The risk is obvious. If the central bank steps back, because its reserves have grown large enough or "
            "because it wants the rupee to absorb a shock, companies that have stopped hedging will be exposed "
            "all at once, and their rush to cover could make the move sharper.",
            "Bankers say some of the larger exporters have begun to rebuild hedges quietly, buying options rather "
            "than forwards. Smaller firms, with thinner margins and less treasury expertise, are the ones to watch.",
        ),
        quote=Q(
            "Rahul Gokhale",
            "treasury head at a Coimbatore garment exporter",
            "Calm markets make you lazy; we know it, and still the hedge is the first cost we cut",
        ),
    ),
    S(
        slug="cricket-board-approves-plan-for-small-city-stadiums",
        headline="Cricket board approves ₹300 crore plan for stadiums in smaller cities",
        standfirst="Twelve grounds will get floodlights, new drainage and better pitches over three years.",
        section="india",
        hours_ago=40,
        authors=("rohan-mathew",),
        tags=("cricket", "infrastructure"),
        paras=(
            "The national cricket board has approved a ₹300 crore programme to upgrade twelve grounds in "
            "smaller cities, including Dharamsala-style venues in hill towns and older municipal stadiums in "
            "the east, officials who attended the meeting said.",
            "Each ground will receive floodlights, modern drainage and at least two new pitches, so that it can "
            "host domestic matches in the evening and recover quickly after rain. The board will pay two-thirds "
            "of the cost and the state associations the rest.",
            "The plan follows complaints from players and selectors that domestic matches at some venues were "
            "routinely washed out or played on surfaces that bore little resemblance to international pitches.",
            "Officials said the first four grounds would be chosen within a month, with work timed to avoid the "
            "domestic season. Association secretaries from the north-east, which has few grounds of first-class "
            "standard, have lobbied hard for a share.",
        ),
        quote=Q(
            "Vinod Hegde",
            "a former Ranji Trophy captain who now coaches in Mangaluru",
            "A boy who learns on a good pitch in his own town does not have to move to a big city at fourteen "
            "to be seen",
        ),
    ),
    S(
        slug="sahyadri-cement-quarterly-profit-rises-18-percent",
        headline="Sahyadri Cement posts 18% rise in quarterly profit",
        standfirst="Higher volumes in western India and lower fuel costs offset weaker prices.",
        section="companies",
        hours_ago=45,
        agency="MWA",
        desk="ksk",
        dateline="Mumbai",
        tags=("infrastructure",),
        paras=(
            "Sahyadri Cement Ltd reported an 18% rise in net profit for the quarter to ₹412 crore, helped by "
            "higher sales volumes in Maharashtra and Gujarat and a fall in the cost of imported coal, the company "
            "said in an exchange filing {on_weekday}.",
            "Revenue from operations rose 9% to ₹3,860 crore. Volumes grew 12% to 7.1 million tonnes, while the "
            "average price realised per tonne fell about 3% as competition intensified in the western region.",
            "Operating profit per tonne improved to ₹1,140 from ₹1,020 a year earlier. The company said power "
            "and fuel costs fell 11%, partly because of a new waste-heat recovery unit at its Ratnagiri plant.",
            "The board recommended a final dividend of ₹7 a share and approved a plan to add two million tonnes "
            "of grinding capacity in Karnataka at a cost of about ₹900 crore.",
        ),
    ),
    # ---- the last few weeks ------------------------------------------------------------------
    S(
        slug="bengaluru-startup-kannada-speech-model-farm-helplines",
        headline="Bengaluru start-up builds a Kannada speech model for farm helplines",
        standfirst="The system answers farmers' questions about pests and prices over an ordinary phone call.",
        section="technology",
        hours_ago=days(2, 12),
        authors=("vikram-deshpande",),
        tags=("startups", "artificial-intelligence", "agriculture"),
        paras=(
            "A Bengaluru start-up has built a speech recognition model that understands farmers speaking in "
            "several dialects of Kannada, and says it now handles about 9,000 calls a day to a state-run farm "
            "helpline without a human operator.",
            "Dhwani Labs trained the model on recordings gathered from volunteers in 27 districts, paying each "
            "speaker for an hour of conversation about crops, weather and markets. Its founders say accuracy "
            "on farm vocabulary is above 90%, against about 70% for general-purpose systems they tested.",
            "Callers describe a problem in their own words and hear back a recorded answer drafted by "
            "agronomists, or are passed to a human expert when the system is unsure. Average waiting time on "
            "the helpline has fallen from eleven minutes to under two.",
            "The company plans to add Tulu and Kodava next year, and is in talks with two other states about "
            "building similar systems in Marathi and Telugu.",
        ),
        quote=Q(
            "Shruthi Gowda",
            "co-founder of Dhwani Labs",
            "A farmer in Raichur does not speak like a newsreader in Bengaluru, and the machine has to respect that",
        ),
    ),
    S(
        slug="three-phase-assembly-poll-announced",
        headline="Three-phase assembly poll announced; counting in five weeks",
        standfirst="The election schedule adds 1,800 new polling booths for migrant workers and first-time voters.",
        section="india",
        hours_ago=days(3, 2),
        access=FREE,
        authors=("farah-siddiqui",),
        tags=("elections",),
        paras=(
            "Voters in Vindhyachal will choose a new assembly in three phases over two weeks, with counting "
            "scheduled five weeks from today, the Election Commission announced at a press conference in New "
            "Delhi. The model code of conduct comes into force immediately.",
            "The state has 5.6 crore registered voters, about 21 lakh of them voting for the first time. The "
            "commission said it would set up 1,800 additional polling booths, many of them near industrial "
            "estates and construction sites where seasonal workers live.",
            "The ruling alliance, led by the Lok Pragati Party, is seeking a third term after a campaign built "
            "on rural roads and a monthly payment to women. The opposition Nav Samaj Morcha has focused on "
            "unemployment and on delays in paying farmers for procured wheat.",
            "Both sides have fielded a larger number of women candidates than at the last election, though "
            "party officials concede that most are contesting seats their parties lost last time.",
        ),
        quote=Q(
            "Dr Ramesh Tiwari",
            "a political scientist at the state university",
            "This will be decided in the small towns, where the new roads are visible but the new jobs are not",
        ),
    ),
    S(
        slug="kharif-sowing-ahead-of-last-year-pulses",
        headline="Kharif sowing runs ahead of last year as early rains help pulses",
        standfirst="Farmers have planted 14% more area than at this point last year, with tur and moong gaining most.",
        section="economy",
        hours_ago=days(3, 14),
        authors=("meera-raghunathan",),
        tags=("agriculture", "monsoon", "inflation"),
        paras=(
            "Farmers have sown kharif crops on about 14% more land than at the same point last year, according "
            "to the farm ministry's weekly data, as early rains in the south and west allowed planting to begin "
            "sooner than usual.",
            "Pulses have gained the most, with the area under tur up by about a third and moong by a fifth. "
            "Traders said high prices last season had encouraged farmers in Karnataka and Maharashtra to shift "
            "some land from cotton to pulses.",
            "Rice sowing is roughly level with last year, since most paddy in the north is transplanted only "
            "after the rains arrive there. Soyabean planting has been slower, with farmers in Madhya Pradesh "
            "waiting for more moisture in the soil.",
            "Economists said the early figures were encouraging for food prices, especially for pulses, which "
            "have been among the stubborn sources of inflation, but warned that sowing data says nothing yet "
            "about yields.",
        ),
    ),
    S(
        slug="bank-stocks-three-numbers-before-results",
        headline="Bank stocks: three numbers to watch before the results season",
        standfirst="Deposit costs, unsecured loan slippages and the credit-deposit ratio will tell investors "
        "more than headline profits.",
        section="market-analysis",
        hours_ago=days(4, 3),
        access=PREMIUM,
        authors=("kavita-iyengar",),
        tags=("banking", "rbi"),
        paras=(
            "Banks will report another quarter of healthy profits; on that, analysts agree. But headline "
            "profits have stopped telling investors much. Three less-watched numbers will do more to decide "
            "which bank stocks do well over the next year.",
            "The first is the cost of deposits. Banks that raised term-deposit rates late in the cycle are still "
            "repricing their deposit books upward, even as loan yields have begun to level off. A rise of more "
            "than ten basis points in deposit costs this quarter would be a warning sign for margins.",
            "The second is slippage in unsecured retail loans: personal loans and credit cards. Several lenders "
            "grew these books by more than 30% a year for two years. Fresh defaults have edged up, and bank "
            "managements have started to talk about tightening, usually a sign that the numbers are worse than "
            "they look.",
            "The third is the credit-deposit ratio. For some private banks it is above 90%, leaving little room "
            "to grow loans faster than deposits. Those banks will have to choose between slower growth and "
            "expensive bulk deposits, and either choice will weigh on returns.",
            "Our preference remains for large banks with deep pools of low-cost savings deposits, and for "
            "mid-sized lenders trading below book value where bad loans have already been recognised.",
        ),
    ),
    S(
        slug="india-singapore-link-digital-trade-documents",
        headline="India and Singapore agree to link digital trade documents",
        standfirst="Electronic bills of lading and certificates of origin will be accepted across both "
        "systems from next year.",
        section="world",
        hours_ago=days(4, 16),
        agency="MWA",
        desk="sjn",
        dateline="Singapore",
        tags=("trade", "ports"),
        paras=(
            "India and Singapore have agreed to connect their digital trade platforms so that electronic bills "
            "of lading, certificates of origin and invoices issued in one country are accepted by customs and "
            "banks in the other, officials from both sides said {on_weekday}.",
            "The link is expected to go live in stages from the beginning of next year, starting with a pilot "
            "involving about fifty exporters and three banks. Officials said paperwork for a typical shipment "
            "could be cleared in hours rather than days.",
            "Singapore is among India's largest trading partners and a major hub for Indian goods shipped "
            "onwards to other markets. Business groups have long complained that paper documents sent by "
            "courier add cost and delay to letters of credit.",
            "The two governments also said they would work towards mutual recognition of electronic signatures "
            "on trade documents, which would remove one of the last reasons for printing them.",
        ),
    ),
    S(
        slug="nilgiri-textiles-shift-to-technical-fabrics",
        headline="Nilgiri Textiles to close two loom units and move into technical fabrics",
        standfirst="The Coimbatore company will retrain workers and invest ₹350 crore in fabrics for filters, "
        "car interiors and medical use.",
        section="companies",
        hours_ago=days(5, 1),
        authors=("ananya-bhattacharjee",),
        tags=("trade",),
        paras=(
            "Nilgiri Textiles, a 70-year-old Coimbatore mill group, will close two of its five weaving units and "
            "invest ₹350 crore in lines making technical fabrics used in industrial filters, car interiors and "
            "hospital gowns, its managing director said in an interview.",
            "The two units make grey cotton cloth, a business in which margins have fallen to almost nothing as "
            "competition from Bangladesh and Vietnam has grown. Technical textiles, by contrast, earn margins of "
            "15% to 20% and face less competition from imports.",
            "The company said none of the 1,100 workers at the two units would lose their jobs. About 700 will "
            "be retrained for the new lines and the rest moved to its spinning mills over eighteen months.",
            "Nilgiri's shares rose 6% after the announcement. Analysts said the plan was sensible but that the "
            "company had little experience selling to carmakers and hospitals, where qualifying as a supplier "
            "can take years.",
        ),
        quote=Q(
            "R. Balasubramaniam",
            "Nilgiri's managing director",
            "My grandfather built these looms, and closing them was not easy, but sentiment does not pay wages",
        ),
    ),
    S(
        slug="opinion-small-towns-need-buses-before-airports",
        headline="Small towns want airports. They need better buses first.",
        standfirst="Regional flights make headlines. A reliable bus between district towns would change more lives.",
        section="opinion",
        hours_ago=days(5, 13),
        authors=("suresh-nair",),
        tags=("infrastructure",),
        paras=(
            "Few announcements please a local politician more than a new airport. A ribbon is cut, a flight "
            "lands, and the town is said to have arrived. Within two years, on too many routes, the flights have "
            "quietly stopped.",
            "Meanwhile the journey most people in those towns make every week, to the district headquarters, "
            "the nearest hospital or a larger market, is made on a bus that is old, crowded and unpredictable. "
            "State transport corporations have shrunk their fleets in many states, leaving private operators "
            "to run the profitable routes and no one to run the rest.",
            "A modest sum, a fraction of what a small airport costs, would buy hundreds of new buses, a "
            "timetable people can rely on and a phone app that tells them when the next one is due.",
            "Airports have their place. But if the aim is to connect small towns to opportunity, the bus stand "
            "is a better place to start than the runway.",
        ),
    ),
    S(
        slug="kochi-metro-extends-evening-services-monsoon",
        headline="Kochi Metro extends evening services during the monsoon",
        standfirst="Trains will run until 11 pm on weekdays to ease road traffic during heavy rain.",
        section="india",
        hours_ago=days(6, 4),
        access=FREE,
        agency="CPS",
        desk="ajs",
        dateline="Kochi",
        tags=("monsoon", "infrastructure"),
        paras=(
            "Kochi Metro Rail will run its last trains an hour later, until 11 pm on weekdays, for the rest of "
            "the monsoon season, the metro company said {on_weekday}.",
            "Officials said evening ridership rose by about a quarter on days of heavy rain last year, when "
            "flooded roads and slow traffic pushed office workers towards the metro. Trains will also run more "
            "often between 5 pm and 8 pm.",
            "The company said feeder buses and electric autorickshaws at six stations would run to the new "
            "timings, and that water-logging alerts would be announced at stations and on its app.",
            "The extended timings will be reviewed at the end of the season.",
        ),
    ),
    S(
        slug="ipo-pipeline-swells-fourteen-draft-papers",
        headline="IPO pipeline swells as fourteen companies file draft papers",
        standfirst="Consumer brands, a hospital chain and two small lenders are among those seeking to raise "
        "about ₹18,000 crore.",
        section="markets",
        hours_ago=days(6, 15),
        authors=("arjun-kesavan",),
        tags=("ipo",),
        paras=(
            "Fourteen companies filed draft papers for initial public offerings with the market regulator in "
            "the past month, the most in any month this year, as strong demand for recent listings encouraged "
            "promoters and private equity investors to sell.",
            "Together the companies hope to raise about ₹18,000 crore. The list includes a packaged-snacks maker "
            "from Indore, a hospital chain with twenty facilities in the east, two small finance banks and a "
            "maker of electrical cables.",
            "Bankers said more than half the money would go to existing shareholders rather than the companies "
            "themselves, a pattern that has grown more common as early investors seek exits.",
            "Recent listings have on average traded 24% above their issue prices, though a handful have fallen "
            "below. Analysts warned that a crowded calendar could test investors' appetite, particularly for "
            "smaller issues.",
        ),
        quote=Q(
            "Neha Saraf",
            "managing director at a Mumbai investment bank",
            "Everyone wants to list before the window closes, which is usually how windows close",
        ),
    ),
    S(
        slug="india-chip-design-startups-hiring-race",
        headline="Inside the race to build India's chip design teams",
        standfirst="Start-ups and global firms are competing for a few thousand engineers who can take a chip "
        "from drawing board to silicon.",
        section="technology",
        hours_ago=days(7, 2),
        access=PREMIUM,
        authors=("vikram-deshpande",),
        tags=("startups", "artificial-intelligence"),
        paras=(
            "In an office park on the edge of Hyderabad, thirty engineers at a two-year-old start-up are "
            "finishing the design of a chip that will manage power in electric scooters. When it goes to a "
            "foundry in Taiwan later this year, it will be one of a handful of commercial chips designed end to "
            "end by an Indian-owned company.",
            "India has long been home to chip design centres of global firms, which employ tens of thousands of "
            "engineers. But most work on pieces of larger projects run from abroad. Engineers who have taken a "
            "whole chip through design, verification and production number only a few thousand.",
            "That scarcity has set off a hiring contest. Founders describe offering senior verification "
            "engineers salaries of ₹1.2 crore a year, along with shares, and still losing them to "
            "multinationals. Three start-ups we spoke to said hiring, not funding, was their main constraint.",
            "Government subsidies for design have helped, covering up to half of eligible costs. But founders "
            "say the bigger need is for Indian customers, carmakers, appliance makers and telecom firms, willing "
            "to put an unproven local chip in their products.",
            "Some are starting to. A Chennai appliance maker has agreed to use the Hyderabad start-up's chip in "
            "one model of fan next year, a small order that its founder describes as worth more than any grant.",
        ),
    ),
    S(
        slug="hidden-cost-of-cheap-credit-rural-microfinance",
        headline="The hidden cost of cheap credit in rural microfinance",
        standfirst="Borrowers with loans from four or more lenders are growing fastest. Villages in three "
        "states show why that worries regulators.",
        section="economy",
        hours_ago=days(8, 5),
        access=PREMIUM,
        authors=("meera-raghunathan",),
        tags=("banking", "rbi"),
        paras=(
            "In a village outside Gaya, a woman who sells vegetables from a handcart told us she had loans from "
            "five lenders. She took the first to buy the cart, and each of the next four, she said, partly to "
            "repay the ones before.",
            "Her story is increasingly common. Credit bureau data shared with The Broadsheet Daily show that "
            "the number of microfinance borrowers with loans from four or more lenders has grown by about 40% in "
            "two years, far faster than the number of borrowers overall.",
            "Lenders say rules introduced to protect borrowers, which cap repayments at half of household "
            "income, are hard to enforce because incomes are self-reported and rarely checked. Loan officers, "
            "paid by the volume they disburse, have little reason to look closely.",
            "The central bank has begun asking lenders about their exposure to over-indebted borrowers, and "
            "two large microfinance institutions have slowed lending in Bihar and Odisha. Defaults in those "
            "states have already risen.",
            "Microfinance has done a great deal of good, and most borrowers repay. But when a single household "
            "owes five lenders, the line between finance and trap becomes very thin.",
        ),
        quote=Q(
            "Sunita Kumari",
            "a microfinance loan officer in Gaya",
            "We are told to bring in new customers every week; nobody asks how many loans the customer already has",
        ),
    ),
    S(
        slug="gulf-remittances-climb-kerala-returnees",
        headline="Gulf remittances climb as Kerala's returnees head back to jobs",
        standfirst="Construction and hospitality hiring in the Gulf has drawn back workers who came home during "
        "the slowdown.",
        section="world",
        hours_ago=days(8, 18),
        authors=("tenzing-dorje",),
        tags=("trade", "rupee"),
        paras=(
            "Money sent home by workers in the Gulf rose by about 12% last year, according to estimates by a "
            "Thiruvananthapuram research institute, as hiring for construction and hotel projects in Saudi "
            "Arabia and the United Arab Emirates drew back many who had returned to Kerala.",
            "Recruitment agencies in Malappuram and Kozhikode report that demand for electricians, plumbers and "
            "hotel staff is the strongest they have seen in a decade. Wages offered for skilled trades have "
            "risen, though living costs in the Gulf have risen too.",
            "The remittances matter well beyond the families that receive them. In several Kerala districts "
            "they account for a larger share of household income than farming, and they support a large part "
            "of the state's construction and retail spending.",
            "Economists caution that the pattern of migration is changing. More of the new workers come from "
            "Uttar Pradesh, Bihar and Rajasthan rather than Kerala, and more Keralites now head to Europe and "
            "Canada for nursing and care jobs.",
        ),
    ),
    S(
        slug="konark-finance-appoints-new-chief-executive",
        headline="Konark Finance appoints former banker as chief executive",
        standfirst="The non-bank lender's board has picked an outsider after a year-long search.",
        section="companies",
        hours_ago=days(9, 3),
        agency="MWA",
        desk="rmd",
        dateline="Mumbai",
        tags=("banking",),
        paras=(
            "Konark Finance Ltd said {on_weekday} its board had appointed Harish Venugopal, a former executive "
            "director at a large private bank, as managing director and chief executive for five years, subject "
            "to regulatory approval.",
            "Venugopal, 54, spent 26 years at the bank, where he most recently ran its retail lending business. "
            "He succeeds the company's founder, who will remain on the board as non-executive chairman.",
            "The appointment ends a search that began last year after the central bank asked non-bank lenders "
            "above a certain size to separate ownership from management.",
            "Konark Finance, which lends mainly to small businesses and buyers of used commercial vehicles, has "
            "assets under management of about ₹38,000 crore. Its shares rose 2% on the news.",
        ),
    ),
    S(
        slug="monsoon-stocks-which-rural-plays-rains-can-lift",
        headline="Monsoon stocks: which rural plays the rains can really lift",
        standfirst="Tractors and fertiliser makers move first, two-wheelers later. Consumer staples depend on "
        "more than rain.",
        section="market-analysis",
        hours_ago=days(10, 1),
        access=PREMIUM,
        authors=("kavita-iyengar",),
        tags=("monsoon", "agriculture"),
        paras=(
            "Every year, a good monsoon forecast sets off a rally in shares of companies that sell to rural "
            "India. Every year, some of those rallies fade by the autumn. The trick is to know which businesses "
            "the rain actually reaches, and how quickly.",
            "Tractor makers and fertiliser companies respond first, because farmers buy inputs and equipment "
            "within weeks of the rains, on the expectation of a harvest. In past good years, tractor sales rose "
            "between 12% and 20%, though from a high base this year we expect the lower end.",
            "Two-wheeler sales follow later, after the crop is sold and money is in hand, usually around the "
            "festival season. Entry-level motorcycles are the most sensitive to farm income.",
            "Makers of soaps, biscuits and other everyday goods are the least straightforward. Their rural sales "
            "depend as much on wages in construction and on government transfers as on rainfall, and several "
            "are already priced as if a recovery were certain.",
            "Our preferred way to play the season is through one tractor maker and one fertiliser company with "
            "low debt. We would avoid paying up for consumer staples on the weather alone.",
        ),
    ),
    S(
        slug="pune-water-board-tests-smart-meters",
        headline="Pune tests smart water meters in 40,000 homes",
        standfirst="The civic body hopes to cut leaks and billing disputes; residents worry about higher bills.",
        section="india",
        hours_ago=days(10, 14),
        authors=("rohan-mathew",),
        tags=("infrastructure",),
        paras=(
            "Pune's municipal corporation has begun installing smart water meters in about 40,000 homes across "
            "four wards, in a pilot that officials hope will show where the city loses nearly a third of the "
            "water it treats.",
            "The meters send readings every hour over a low-power radio network. Engineers can compare what "
            "enters a neighbourhood with what households use, and spot leaks in the pipes between.",
            "Households in the pilot wards now pay a flat charge. Officials say metered billing will begin only "
            "after six months of readings, and that families using less than 150 litres a person a day would "
            "pay less than today.",
            "Residents' groups in two wards have asked for the data to be made public and for an independent "
            "check on the meters' accuracy before any bills are issued.",
        ),
        quote=Q(
            "Madhuri Joshi",
            "a resident of Kothrud who heads a housing society federation",
            "We are not against meters, we are against surprises",
        ),
    ),
    S(
        slug="startup-tax-exemption-portal-moves-online",
        headline="Start-up tax exemption applications move fully online",
        standfirst="Founders will no longer need to submit paper copies, and the government promises a "
        "decision within 45 days.",
        section="technology",
        hours_ago=days(11, 6),
        access=FREE,
        authors=("vikram-deshpande",),
        tags=("startups", "tax"),
        paras=(
            "Start-ups seeking an exemption from income tax under the government's start-up scheme can now apply "
            "entirely online, with no paper copies and no visit to an office, the commerce ministry said.",
            "Applications will be decided within 45 days, and founders will be able to follow their progress on "
            "the portal. Previously, applicants complained of waiting months with no word on the status of "
            "their files.",
            "Only a small fraction of the more than one lakh recognised start-ups have received the exemption, "
            "which allows eligible companies to claim a tax holiday for three of their first ten years.",
            "Founders' groups welcomed the change but said the eligibility rules, which require an innovative "
            "product and a board of officials to agree that it is innovative, remained the larger obstacle.",
        ),
    ),
    S(
        slug="gold-imports-fall-as-prices-near-record",
        headline="Gold imports fall as prices near record",
        standfirst="Jewellers held back purchases ahead of the wedding season, trade data showed.",
        section="markets",
        hours_ago=days(12, 2),
        agency="CPS",
        desk="ksk",
        dateline="Mumbai",
        tags=("trade", "rupee"),
        paras=(
            "India's gold imports fell about 30% last month from a year earlier by value, provisional trade "
            "data showed {on_weekday}, as high prices kept jewellers from building stocks.",
            "Domestic gold prices are close to their all-time high, and dealers in Mumbai have been offering "
            "discounts to official prices to attract buyers, a sign of weak demand.",
            "Jewellers said they expected buying to pick up closer to the wedding season, but that customers "
            "were exchanging old jewellery for new rather than spending fresh money.",
            "Lower gold imports helped narrow the country's merchandise trade deficit for the month.",
        ),
    ),
    S(
        slug="opinion-a-port-is-not-a-policy",
        headline="A port is not a policy: lessons from the coastal corridor",
        standfirst="New berths are easy to announce. Getting cargo to them is the part we keep getting wrong.",
        section="opinion",
        hours_ago=days(12, 15),
        access=PREMIUM,
        authors=("suresh-nair",),
        tags=("ports", "infrastructure"),
        paras=(
            "The country's ports have added capacity faster than almost any other kind of infrastructure over "
            "the past decade. Several now handle ships as large as any in the region. Yet exporters in the "
            "interior still pay more to move a container to the coast than to ship it across an ocean.",
            "The problem is the last hundred kilometres. Rail links to ports are shared with passenger trains "
            "and coal rakes; roads pass through towns that were never meant to carry container traffic; inland "
            "depots sit idle because no one coordinates their timetables with the ships.",
            "The coastal corridor announced with fanfare five years ago was meant to fix this. It has produced "
            "impressive berths and very few of the connecting links, because those fall to different ministries, "
            "states and municipal bodies, each with its own budget and priorities.",
            "What is missing is not money but a single body accountable for the journey from factory to ship. "
            "Until someone owns that journey, each new port will be a fine building at the end of a bad road.",
        ),
    ),
    S(
        slug="kaveri-agritech-drone-spraying-1000-villages",
        headline="Kaveri Agritech's drone spraying service reaches 1,000 villages",
        standfirst="The Mysuru company trains local youth as pilots and charges farmers by the acre.",
        section="companies",
        hours_ago=days(13, 4),
        authors=("ananya-bhattacharjee",),
        tags=("agriculture", "startups"),
        paras=(
            "Kaveri Agritech, a Mysuru-based company that sprays pesticides and nutrients on crops using drones, "
            "now serves farmers in 1,000 villages across Karnataka and Tamil Nadu, up from 180 two years ago.",
            "The company trains young people from farming families as drone pilots, lends them equipment and "
            "takes a share of their fees. Farmers pay about ₹450 an acre, which the company says is less than "
            "the cost of hiring labourers to spray by hand.",
            "Drone spraying uses up to 30% less chemical and keeps workers away from pesticide fumes, agronomists "
            "say, though it works better on some crops, such as paddy and sugarcane, than on tall or dense "
            "orchards.",
            "Kaveri expects revenue of about ₹85 crore this year and says it is profitable at the level of each "
            "village operator, though not yet as a company.",
        ),
        quote=Q(
            "Manjunath Swamy",
            "a 24-year-old pilot from Mandya district",
            "My father sprayed our field with a tank on his back for thirty years; now I do fifty acres in a morning",
        ),
    ),
    S(
        slug="heatwave-advisory-schools-shift-timings",
        headline="Heatwave advisory for northern states; schools shift timings",
        standfirst="Temperatures above 45°C are forecast for parts of Rajasthan, Haryana and Uttar Pradesh over "
        "the coming week.",
        section="india",
        hours_ago=days(14, 2),
        authors=("farah-siddiqui",),
        tags=("education", "energy"),
        paras=(
            "The weather office issued a heatwave warning for large parts of Rajasthan, Haryana, Punjab and "
            "western Uttar Pradesh, forecasting maximum temperatures of 45°C to 47°C for at least five days.",
            "State governments in Haryana and Rajasthan ordered schools to finish classes by 12.30 pm, and "
            "several district administrations set up shaded rest points and drinking water for outdoor workers.",
            "Power demand in the northern grid reached a new high late yesterday, grid operators said, with "
            "air-conditioning and irrigation pumps running at the same time. Two distribution companies "
            "reported unscheduled cuts in rural areas.",
            "Doctors urged people to avoid going out between noon and 4 pm and to watch for signs of heat "
            "exhaustion, particularly in older people and children.",
        ),
    ),
    S(
        slug="core-sector-output-grows-cement-power-lead",
        headline="Core sector output grows 6.2%, cement and power lead",
        standfirst="Eight infrastructure industries grew faster than the previous month; crude oil output fell again.",
        section="economy",
        hours_ago=days(15, 1),
        agency="MWA",
        desk="sjn",
        dateline="New Delhi",
        tags=("infrastructure", "energy"),
        paras=(
            "Output of India's eight core infrastructure industries grew 6.2% last month from a year earlier, "
            "up from 5.1% the previous month, government data showed {on_weekday}.",
            "Cement production rose 10.4% and electricity generation 8.9%, helped by hot weather and "
            "construction activity. Steel output grew 7.1%.",
            "Crude oil production fell 2.3%, continuing a long decline, and output of refinery products was "
            "nearly flat because of maintenance shutdowns.",
            "The core industries account for about 40% of the index of industrial production, which is due "
            "later in the month.",
        ),
    ),
    S(
        slug="india-bangladesh-reopen-river-trade-route",
        headline="India and Bangladesh reopen a river trade route after dredging",
        standfirst="Barges carrying fly ash and stone chips will again run between Kolkata and northern Bangladesh.",
        section="world",
        hours_ago=days(15, 11),
        authors=("tenzing-dorje",),
        tags=("trade", "ports"),
        paras=(
            "Cargo barges have resumed sailing on an inland waterway route between Kolkata and northern "
            "Bangladesh after two years of dredging deepened a silted stretch of river near the border, "
            "officials of both countries said.",
            "The route had been closed to larger vessels for most of the dry season, forcing shippers to move "
            "fly ash, stone chips and food grains by road, where trucks often wait days at the land border.",
            "A barge can carry as much as forty trucks, and moving goods by water costs roughly half as much per "
            "tonne, according to estimates by India's inland waterways authority.",
            "Both governments have said they want to raise the share of trade carried on rivers, though "
            "operators warn that dredged channels silt up again quickly unless maintained every year.",
        ),
    ),
    S(
        slug="reading-the-bond-markets-message-on-inflation",
        headline="Reading the bond market's message on inflation",
        standfirst="Long-term yields have fallen further than short-term ones. Here is what that says about "
        "where investors think prices are heading.",
        section="market-analysis",
        hours_ago=days(16, 3),
        access=PREMIUM,
        authors=("kavita-iyengar", "meera-raghunathan"),
        tags=("inflation", "rbi", "rupee"),
        paras=(
            "Bond yields usually move together, but over the past quarter they have not. The ten-year "
            "government bond yield has fallen by about 35 basis points, while the one-year yield has barely "
            "moved. The curve has flattened, and that shape carries a message.",
            "Long yields reflect what investors expect of inflation and policy rates over many years. Their fall "
            "suggests growing confidence that inflation will settle near the central bank's target, helped by "
            "steady food prices and by heavy demand for long bonds from pension funds and insurers.",
            "Short yields, by contrast, are pinned by the current policy rate and by tight liquidity in the "
            "banking system. Until the central bank cuts or injects more cash, they have little room to fall.",
            "For savers this has a practical meaning. Long-duration debt funds have already captured much of the "
            "gain, and the easy money there has been made. Short-term funds and bank deposits still offer "
            "yields close to their recent highs and will adjust only when policy changes.",
            "We would split fresh debt investments between the two, and avoid chasing funds that have topped "
            "the return tables on the strength of a single rally.",
        ),
    ),
    S(
        slug="ed-tech-firms-turn-to-tuition-centres",
        headline="Ed-tech firms turn to tuition centres as online demand cools",
        standfirst="Companies that promised to replace classrooms are now opening them, in smaller towns.",
        section="technology",
        hours_ago=days(17, 2),
        authors=("vikram-deshpande",),
        tags=("education", "startups"),
        paras=(
            "Several education technology companies that grew rapidly by selling online courses are opening "
            "physical tuition centres in small cities, as parents who paid for apps during school closures "
            "return to face-to-face coaching.",
            "One Bengaluru company has opened 140 centres in two years, most in towns with fewer than ten lakh "
            "people. Executives say students in centres renew their courses at twice the rate of those who "
            "study only online.",
            "The centres use the companies' recorded lessons and practice tests, with local teachers handling "
            "doubts and discipline. Fees are typically 30% to 50% higher than for online courses alone.",
            "Investors who backed the sector's boom have grown cautious. Funding for ed-tech start-ups has fallen "
            "by more than three-quarters from its peak, and several firms have cut staff.",
        ),
        quote=Q(
            "Kiran Patil",
            "who runs a coaching centre in Latur",
            "Parents want to see where their child sits, and who is watching whether she studies",
        ),
    ),
    S(
        slug="mysuru-zoo-welcomes-two-tiger-cubs",
        headline="Mysuru zoo welcomes two tiger cubs",
        standfirst="The cubs and their mother are doing well and will be on view to visitors in three months.",
        section="india",
        hours_ago=days(18, 4),
        access=FREE,
        agency="CPS",
        desk="ajs",
        dateline="Mysuru",
        tags=(),
        paras=(
            "A tigress at the Mysuru zoo has given birth to two cubs, both healthy, zoo officials said {on_weekday}.",
            "The cubs were born in a secluded enclosure and are being watched over closed-circuit cameras so "
            "that keepers do not disturb the mother. They will be examined by veterinarians in a few weeks.",
            "Officials said the public would be able to see the cubs in about three months, once they are "
            "strong enough to move into the main enclosure with their mother.",
            "The zoo, one of the oldest in the country, now houses fourteen tigers.",
        ),
    ),
    S(
        slug="how-ganga-paper-mills-turned-around",
        headline="How Ganga Paper Mills turned around after a decade of losses",
        standfirst="A family firm in eastern Uttar Pradesh stopped making what it was good at and started "
        "making what customers wanted.",
        section="companies",
        hours_ago=days(18, 16),
        access=PREMIUM,
        authors=("ananya-bhattacharjee",),
        tags=("energy",),
        paras=(
            "For ten years, Ganga Paper Mills made writing and printing paper at a loss. Its mill near Gorakhpur "
            "was efficient, its workers experienced, and its product good. The trouble was that fewer people "
            "were buying it.",
            "The turnaround began when the founder's granddaughter, an engineer who had worked at a packaging "
            "company in Pune, persuaded the board to convert one of its two paper machines to make kraft paper "
            "for corrugated boxes, the kind e-commerce parcels arrive in.",
            "The conversion cost ₹140 crore, more than the company's market value at the time. It took two "
            "years, during which the company survived on a loan from a state financial corporation and the "
            "sale of land near the mill.",
            "Last year Ganga reported a profit of ₹62 crore, its first in eleven years. Kraft paper now accounts "
            "for 70% of its revenue, and it has begun running its boilers on rice husk bought from farmers in "
            "the district, cutting fuel costs.",
            "The company now faces a different problem: large competitors have noticed the same opportunity, "
            "and kraft paper prices have begun to soften as new capacity comes up.",
        ),
        quote=Q(
            "Ritika Agarwal",
            "Ganga's executive director",
            "We were proud of our writing paper, and pride nearly finished us",
        ),
    ),
    S(
        slug="foreign-investors-return-to-indian-bonds",
        headline="Foreign investors return to Indian bonds on index inclusion hopes",
        standfirst="Overseas funds have bought government securities worth about ₹22,000 crore in a month.",
        section="markets",
        hours_ago=days(19, 3),
        authors=("arjun-kesavan",),
        tags=("rupee", "rbi"),
        paras=(
            "Foreign investors have bought Indian government bonds worth about ₹22,000 crore over the past month, "
            "the most in any month this year, as more global index providers weigh adding Indian debt to their "
            "benchmarks.",
            "Most of the buying has been in bonds that are fully open to foreign investment and eligible for "
            "index inclusion. Dealers said several large funds were positioning ahead of expected announcements "
            "rather than waiting for the inclusion itself.",
            "The inflows have helped keep the rupee steady and pushed yields on the eligible bonds slightly below "
            "those of comparable securities that are not open to foreign investors.",
            "Economists warned that index-linked money could leave as quickly as it came if global conditions "
            "changed, and said the central bank would need to manage the flows carefully.",
        ),
    ),
    S(
        slug="letter-from-the-editor-why-some-stories-are-for-subscribers",
        headline="Letter from the editor: why some of our stories are for subscribers",
        standfirst="Most of what we publish remains free to read. Here is how the rest pays for it.",
        section="opinion",
        hours_ago=days(20, 2),
        access=FREE,
        authors=("suresh-nair",),
        tags=(),
        paras=(
            "From this month, readers will notice that some stories on our site carry a small mark and ask them "
            "to subscribe. We want to explain why, and what you get in return.",
            "Reporting costs money. Sending a correspondent to Gaya to talk to borrowers, or spending three "
            "months checking the figures behind a company's turnaround, cannot be paid for by advertising alone, "
            "which rewards quick clicks far more than slow work.",
            "Most of our journalism will stay free. Readers who are not subscribers can read a number of stories "
            "each month without paying, and our news of record, elections, weather and public notices, will "
            "always be open.",
            "Subscribers will get everything: our analysis, our archive back to our first web edition in 1997, "
            "the e-paper and our newsletters, without advertisements. You can cancel at any time, in two clicks, "
            "and keep reading until the end of the period you paid for.",
            "Thank you for reading us, whether you pay or not. We hope to earn your subscription.",
        ),
    ),
    S(
        slug="states-capital-spending-picks-up",
        headline="States' capital spending picks up in the final quarter",
        standfirst="Roads, irrigation and water supply projects drove a late rush of spending, an analysis of "
        "state accounts shows.",
        section="economy",
        hours_ago=days(21, 5),
        authors=("meera-raghunathan",),
        tags=("infrastructure", "tax"),
        paras=(
            "State governments spent about 38% of their annual capital budgets in the last three months of the "
            "financial year, according to an analysis of monthly accounts from eighteen large states, the "
            "highest final-quarter share in five years.",
            "Roads, irrigation and urban water supply made up most of the spending. Several states paid "
            "contractors' pending bills in the final weeks of the year, which accounts for part of the jump.",
            "The rush reflects both stronger tax revenues and interest-free loans from the centre for capital "
            "projects, which come with conditions on how quickly they must be spent.",
            "Economists said spending concentrated in a few weeks was less efficient than spending spread across "
            "the year, and that states should plan projects earlier rather than racing to use their budgets.",
        ),
    ),
    S(
        slug="vidarbha-farmers-switch-to-millets",
        headline="Farmers in Vidarbha switch to millets under a new procurement scheme",
        standfirst="A guaranteed purchase price has persuaded some cotton growers to try jowar and bajra.",
        section="india",
        hours_ago=days(22, 3),
        authors=("farah-siddiqui",),
        tags=("agriculture",),
        paras=(
            "Farmers in Maharashtra's Vidarbha region have planted millets on about 60,000 more hectares this "
            "season, after the state began buying jowar and bajra at a guaranteed price for its school meal and "
            "ration programmes.",
            "Many had grown cotton for two decades. Years of pest attacks and volatile prices, along with rising "
            "costs of seed and fertiliser, made the switch attractive to smallholders, agriculture officials "
            "said.",
            "Millets need less water and fertiliser than cotton, but they also earn less per hectare at market "
            "prices. The guaranteed price narrows that gap, and the state has promised payment within fifteen "
            "days of delivery.",
            "Farmers' groups said the scheme would succeed only if the state kept buying in good years as well as "
            "bad, and if it built local processing units so that the grain does not have to travel far.",
        ),
        quote=Q(
            "Ganesh Wankhede",
            "a farmer in Yavatmal district",
            "Cotton gave us big dreams and big debts; millet gives us less, but it comes every year",
        ),
    ),
    S(
        slug="sri-lanka-tourism-arrivals-post-pandemic-high",
        headline="Sri Lanka tourist arrivals reach a post-pandemic high",
        standfirst="Visitors from India made up the largest group, the tourism board said.",
        section="world",
        hours_ago=days(22, 15),
        access=FREE,
        agency="MWA",
        desk="rmd",
        dateline="Colombo",
        tags=("trade",),
        paras=(
            "Sri Lanka received more foreign tourists last month than in any month since the pandemic, its "
            "tourism board said {on_weekday}, with visitors from India making up the largest single group.",
            "Arrivals from India rose by about a quarter from a year earlier, helped by new direct flights from "
            "southern Indian cities and a simplified visa process.",
            "Tourism is one of Sri Lanka's main sources of foreign currency, and the recovery has helped the "
            "country rebuild its reserves after a severe economic crisis.",
            "Hotels on the southern coast reported occupancy above 70%, though operators said room rates were "
            "still below their levels before the crisis.",
        ),
    ),
    S(
        slug="ai-copilots-indian-banks-are-testing",
        headline="The AI copilots Indian banks are quietly testing",
        standfirst="Lenders are trying language models to draft credit notes, answer staff questions and check "
        "compliance, cautiously and mostly out of customers' sight.",
        section="technology",
        hours_ago=days(23, 4),
        access=PREMIUM,
        authors=("vikram-deshpande",),
        tags=("artificial-intelligence", "banking"),
        paras=(
            "At least six large Indian banks are testing artificial intelligence assistants for their own staff, "
            "according to technology executives at four of them, though none has yet let such a system talk "
            "directly to customers about their money.",
            "The most common use is drafting. Credit officers feed a loan application and financial statements "
            "into a system that produces a first draft of the appraisal note, which they then check and edit. "
            "One bank says this has cut the time for small business loans by a third.",
            "Another common use is an internal help desk that answers branch staff's questions about procedures, "
            "drawing on thousands of pages of circulars. Staff say it is faster than calling the regional office, "
            "though it sometimes cites circulars that have been superseded.",
            "Banks are wary of the regulator and of data rules. Most run the models on their own servers or in "
            "closed cloud environments, and keep customer names and account numbers out of the prompts.",
            "Executives say the bigger obstacle is trust. A system that is right 95% of the time still needs a "
            "person to check every answer, and the savings shrink accordingly.",
        ),
        quote=Q(
            "Deepak Chandran",
            "head of digital at a mid-sized private bank",
            "Everyone wants to announce a chatbot; the real work is getting the boring internal tasks right",
        ),
    ),
    S(
        slug="pragati-steel-4500-crore-expansion-odisha",
        headline="Pragati Steel plans ₹4,500 crore expansion in Odisha",
        standfirst="The company will add a blast furnace and a cold-rolling mill to meet demand from carmakers "
        "and appliance makers.",
        section="companies",
        hours_ago=days(24, 2),
        authors=("ananya-bhattacharjee",),
        tags=("infrastructure", "energy"),
        paras=(
            "Pragati Steel Ltd will invest ₹4,500 crore to expand its plant near Jajpur in Odisha, adding a blast "
            "furnace and a cold-rolling mill that will raise its capacity by about 40%, the company said.",
            "The cold-rolling mill will make thinner, higher-grade sheet used by carmakers and appliance makers, "
            "a market the company has so far served only in small quantities.",
            "Pragati said it would fund the expansion with a mix of internal cash and debt, and expected the new "
            "units to start production in three years. It will also build a plant to capture waste gases for "
            "power generation.",
            "Steel demand has grown faster than overall economic growth for three years, driven by construction "
            "and infrastructure, though cheap imports have put pressure on prices in recent months.",
        ),
    ),
    S(
        slug="small-savings-vs-debt-funds-calculator",
        headline="Small savings or debt funds? A calculator for the cautious saver",
        standfirst="After tax changes, the answer depends on your tax bracket, your time horizon and how much "
        "you value a guarantee.",
        section="market-analysis",
        hours_ago=days(25, 1),
        access=PREMIUM,
        authors=("kavita-iyengar",),
        tags=("tax", "banking"),
        paras=(
            "Since debt funds lost their tax advantage, readers have asked us a simple question: should a "
            "cautious saver move money from debt funds into government small savings schemes? The honest answer "
            "is that it depends, and the dependence can be worked out.",
            "Start with the tax bracket. For someone in the highest bracket, interest from both is now taxed at "
            "the same rate, so the comparison is on pre-tax returns. Some small savings schemes currently pay "
            "more than short-term debt funds, with a sovereign guarantee on top.",
            "Then consider the time horizon. Small savings schemes lock money in for years and charge penalties "
            "for early withdrawal. Debt funds can be redeemed within days. For an emergency fund, that liquidity "
            "is worth more than a percentage point of return.",
            "Finally, consider limits. Several schemes cap how much one person may invest, so larger savers "
            "will end up with a mix whatever they prefer.",
            "Our rule of thumb: keep six months of expenses in liquid funds or a sweep deposit, fill the small "
            "savings limits for money you will not need for five years, and use short-term debt funds for "
            "everything in between.",
        ),
    ),
    S(
        slug="chennai-municipal-schools-add-coding",
        headline="Chennai's municipal schools add coding to the Class 6 syllabus",
        standfirst="The corporation has trained 400 teachers and set up labs in 120 schools.",
        section="india",
        hours_ago=days(25, 14),
        authors=("rohan-mathew",),
        tags=("education",),
        paras=(
            "Students in Class 6 at Chennai's corporation-run schools will learn basic programming from this "
            "academic year, the city's education department said, as part of an effort to close the gap with "
            "private schools.",
            "The corporation has trained about 400 teachers over the summer and set up computer labs in 120 "
            "schools. Lessons will use a visual programming tool in Tamil and English, with two periods a week.",
            "Officials said the syllabus would extend to Classes 7 and 8 over the next two years, adding simple "
            "web pages and data exercises built around local subjects such as bus timetables and rainfall.",
            "Teachers' unions welcomed the programme but said several schools still lacked reliable electricity "
            "and internet connections, and asked for support staff to maintain the labs.",
        ),
        quote=Q(
            "S. Karthika",
            "a mathematics teacher at a corporation school in Perambur",
            "The children are not afraid of the computer; we were, and that is the difference",
        ),
    ),
    S(
        slug="rupee-ends-flat-as-oil-steadies",
        headline="Rupee ends flat as oil prices steady",
        standfirst="Importers' dollar demand was matched by inflows into equities.",
        section="markets",
        hours_ago=days(26, 3),
        agency="CPS",
        desk="ksk",
        dateline="Mumbai",
        tags=("rupee",),
        paras=(
            "The rupee ended nearly unchanged against the US dollar {on_weekday} as steady crude oil prices and "
            "inflows into local equities offset dollar demand from importers.",
            "Dealers said oil companies bought dollars in the morning, but foreign banks sold on behalf of "
            "clients investing in Indian shares, keeping the currency in a narrow range.",
            "The central bank was not seen intervening, dealers said. Forward premiums eased slightly.",
            "Traders expect the rupee to stay range-bound ahead of US inflation data due later in the week.",
        ),
    ),
    S(
        slug="explainer-new-tax-slabs-salaried-family",
        headline="Explainer: what the new tax slabs mean for a salaried family",
        standfirst="Three households, three incomes, and how much each saves under the revised regime.",
        section="economy",
        hours_ago=days(27, 2),
        access=FREE,
        authors=("meera-raghunathan",),
        tags=("tax",),
        paras=(
            "The revised income tax slabs under the new regime have raised the income at which tax starts and "
            "widened several brackets. To see what that means in practice, we worked through three fictional "
            "salaried households.",
            "A young teacher in Nagpur earning ₹9 lakh a year will pay about ₹20,000 less than before, roughly "
            "what she spends on rent in a month. Because she claims few deductions, the new regime was already "
            "the better choice for her.",
            "A couple in Pune, both software engineers with a combined income of ₹36 lakh, will save about "
            "₹38,000 together. They had been claiming deductions for a home loan and insurance under the old "
            "regime, and will now have to work out again which suits them.",
            "A retired bank officer in Kochi, living on a pension and interest income of ₹14 lakh, will save "
            "about ₹30,000. Pensioners with large medical expenses may still do better under the old regime.",
            "The broad lesson: the new regime now suits most people who do not have a home loan, and the "
            "calculation is worth redoing every year.",
        ),
    ),
    S(
        slug="opinion-crickets-new-money-must-reach-old-grounds",
        headline="Cricket's new money must reach its old grounds",
        standfirst="The game has never been richer. Too little of that wealth finds its way to the maidans "
        "where players begin.",
        section="opinion",
        hours_ago=days(28, 4),
        authors=("suresh-nair",),
        tags=("cricket",),
        paras=(
            "Indian cricket has never had more money. Broadcast and franchise deals run into tens of thousands "
            "of crores, and top players earn salaries that would have been unimaginable a generation ago.",
            "Walk onto a municipal maidan in almost any city, though, and the picture is different. Pitches are "
            "uneven, nets are torn, changing rooms are absent, and clubs that have produced state players for "
            "fifty years struggle to pay groundsmen.",
            "The recent plan to upgrade grounds in smaller cities is welcome, but it concerns stadiums. The game "
            "begins earlier, in clubs and school grounds, and that is where a modest share of the new money "
            "would do the most good.",
            "A fixed percentage of every broadcast deal, set aside for club grounds and audited in public, "
            "would cost the game little and give it a great deal.",
        ),
    ),
    S(
        slug="sethu-ports-wins-berth-concession",
        headline="Sethu Ports wins 30-year concession for a Tuticorin berth",
        standfirst="The company will invest about ₹1,100 crore to build and operate a multipurpose berth.",
        section="companies",
        hours_ago=days(29, 2),
        agency="MWA",
        desk="sjn",
        dateline="Chennai",
        tags=("ports", "infrastructure"),
        paras=(
            "Sethu Ports Ltd said {on_weekday} it had won a 30-year concession to build and operate a multipurpose "
            "cargo berth at the V.O. Chidambaranar port in Tuticorin.",
            "The company will invest about ₹1,100 crore in the berth, which will handle containers, fertiliser "
            "and wind-turbine components. It expects to start operations in about two and a half years.",
            "Sethu Ports will share a portion of its revenue with the port authority, according to the terms of "
            "the bid.",
            "The company operates two terminals on the east coast and has said it wants to double its cargo "
            "volumes over five years.",
        ),
    ),
    S(
        slug="indian-students-weigh-germany-ireland",
        headline="Indian students weigh Germany and Ireland as visa rules tighten elsewhere",
        standfirst="Education consultants report rising interest in European universities with low fees and "
        "post-study work rights.",
        section="world",
        hours_ago=days(30, 5),
        authors=("tenzing-dorje",),
        tags=("education",),
        paras=(
            "Indian students planning to study abroad are looking more closely at Germany, Ireland and the "
            "Netherlands, education consultants in Delhi, Hyderabad and Kochi say, as several traditional "
            "destinations have tightened visa and work rules.",
            "Germany's public universities charge little or no tuition, and graduates may stay to look for work. "
            "Ireland offers English-language courses and a large technology industry. Consultants say enquiries "
            "for both have roughly doubled in two years.",
            "The shift has costs. Students heading to Germany often need to learn the language to find part-time "
            "work, and housing in Dublin is scarce and expensive.",
            "Banks report that education loans for European destinations are growing faster than those for "
            "other countries, though from a smaller base.",
        ),
        quote=Q(
            "Anjali Reddy",
            "who runs a study-abroad consultancy in Hyderabad",
            "Five years ago nobody asked me about Aachen; now I get the question every week",
        ),
    ),
    S(
        slug="satellite-broadband-trial-himalayan-villages",
        headline="Satellite broadband trial connects Himalayan villages in Uttarakhand",
        standfirst="Schools and health centres in twelve villages are getting connections for the first time.",
        section="technology",
        hours_ago=days(31, 3),
        authors=("vikram-deshpande",),
        tags=("infrastructure", "education"),
        paras=(
            "Twelve villages in Uttarakhand's Pithoragarh district have been connected to the internet through "
            "satellite broadband in a trial run by the state government and a telecom operator, officials said.",
            "The villages, some a day's walk from the nearest road, had no reliable mobile signal. The trial "
            "provides connections to schools, primary health centres and village council offices.",
            "Health workers have begun video consultations with doctors in the district hospital, and teachers "
            "say students can now watch lessons that were previously available only in towns.",
            "The cost of each terminal and monthly service remains high, and officials said the state would "
            "decide on a wider rollout after a year of usage data.",
        ),
    ),
    S(
        slug="assam-tea-gardens-try-solar-pumps",
        headline="Assam tea gardens try solar pumps to cut diesel bills",
        standfirst="Irrigation costs have risen as dry spells lengthen; gardens are turning to the sun.",
        section="india",
        hours_ago=days(33, 4),
        authors=("rohan-mathew",),
        tags=("energy", "agriculture"),
        paras=(
            "More than forty tea gardens in upper Assam have installed solar-powered irrigation pumps in the "
            "past year, replacing diesel pumps that had become expensive to run as dry spells grew longer, "
            "according to a planters' association.",
            "Estate managers say a solar pump pays for itself in about four years at current diesel prices, and "
            "that state subsidies cover a large part of the initial cost.",
            "Irrigation was rarely needed in the region a generation ago. Planters now report weeks without rain "
            "in the early months of the year, when the first flush of tea, among the most valuable, is picked.",
            "Smaller growers, who now produce about half of Assam's tea, have been slower to adopt the pumps "
            "because they lack access to credit.",
        ),
    ),
    S(
        slug="cautious-on-consumer-durables-next-two-quarters",
        headline="Why we are cautious on consumer durables for the next two quarters",
        standfirst="Air conditioners had a record summer. That is exactly the problem for the shares.",
        section="market-analysis",
        hours_ago=days(35, 2),
        access=PREMIUM,
        authors=("kavita-iyengar",),
        tags=("energy",),
        paras=(
            "Makers of air conditioners, refrigerators and fans have just reported their strongest summer on "
            "record. Their shares have risen accordingly. We think the next two quarters will be harder than "
            "the market expects.",
            "A hot summer pulls demand forward. Households that might have bought an air conditioner next year "
            "bought one this year, and dealers are carrying more stock than usual into the monsoon, when sales "
            "slow sharply.",
            "Input costs are also turning. Copper and aluminium prices have risen, and several companies have "
            "said they will not raise prices until the festival season, which means margins will narrow.",
            "The longer-term story is intact: fewer than one in ten Indian homes has an air conditioner, and that "
            "will change. But at current valuations, investors are paying today for growth several years away.",
            "We would wait for a better entry point, likely after the second-quarter results, and prefer component "
            "suppliers with broader customer bases over brand owners.",
        ),
    ),
    # ---- the archive -------------------------------------------------------------------------
    S(
        slug="broadsheet-daily-launches-world-wide-web-edition",
        headline="The Broadsheet Daily launches its edition on the World Wide Web",
        standfirst="Readers with a computer and a telephone line can now read the day's main stories online, "
        "free of charge.",
        section="india",
        on=archive_date(1997, 8, 14),
        access=FREE,
        authors=("lakshmi-venkatraman",),
        tags=(),
        paras=(
            "From today, The Broadsheet Daily publishes a selection of its stories on the World Wide Web, making "
            "it one of the first Indian newspapers that readers can open on a computer anywhere in the world.",
            "The web edition will carry about forty stories each day, updated by nine in the morning, Indian "
            "time. Readers abroad, who until now received the paper days late by air mail, will be able to read "
            "it on the day it is printed.",
            "Readers in India will need a computer, a modem and an internet account from the national telephone "
            "company. We recognise that few households have these today, and our printed paper remains the "
            "heart of what we do.",
            "We will add photographs, market prices and a letters page in the coming months, and we welcome "
            "suggestions by electronic mail.",
        ),
        quote=Q(
            "Lakshmi Venkatraman",
            "editor of The Broadsheet Daily",
            "We do not know yet what a newspaper on a screen should look like, so we intend to learn from our readers",
        ),
    ),
    S(
        slug="cyber-cafes-spread-to-district-towns",
        headline="Cyber cafes spread to district towns as dial-up rates fall",
        standfirst="Students, job-seekers and families writing to relatives abroad make up most customers.",
        section="technology",
        on=archive_date(2001, 3, 9),
        authors=("lakshmi-venkatraman",),
        tags=("education",),
        paras=(
            "Cyber cafes, until recently a feature of big-city shopping streets, are opening in district towns "
            "across the south, as lower charges for dial-up internet and cheaper computers make the business "
            "viable in smaller markets.",
            "In Thanjavur, a town that had none two years ago, there are now eleven. Most charge ₹30 to ₹40 an "
            "hour, and owners say they are busiest in the evenings, when students come to check examination "
            "results and search for courses.",
            "Another large group of customers are families with relatives working in the Gulf, Singapore or the "
            "United States, who come to send electronic mail and, increasingly, to chat by typed messages.",
            "Owners complain of frequent power cuts and slow telephone lines, and several keep a generator "
            "running through the afternoon.",
        ),
    ),
    S(
        slug="vat-arrives-traders-count-the-paperwork",
        headline="Value-added tax arrives in most states; traders count the paperwork",
        standfirst="The new tax replaces a tangle of state sales taxes, but shopkeepers say the forms will take "
        "getting used to.",
        section="economy",
        on=archive_date(2005, 4, 2),
        authors=("meera-raghunathan",),
        tags=("tax",),
        paras=(
            "A value-added tax replaced sales tax in most states this week, in one of the largest changes to "
            "indirect taxation in decades. Traders in Mumbai's wholesale markets spent the first days learning "
            "how to claim credit for tax paid on their purchases.",
            "Under the new system, each business in a chain pays tax only on the value it adds, rather than on "
            "the full price, which officials say will end the cascading of tax upon tax that raised prices.",
            "Several states have not yet adopted the tax, and traders near state borders fear confusion over "
            "goods moving between states with different systems.",
            "Small shopkeepers said their main worry was record-keeping. Many have never issued formal invoices "
            "for every sale, and will now need to, if their customers are to claim credits.",
        ),
        quote=Q(
            "Jayant Mehta",
            "a grain wholesaler in Masjid Bunder",
            "The idea is good, but my accountant has already doubled his fees",
        ),
    ),
    S(
        slug="phone-makers-bet-on-dual-sim-handsets",
        headline="Phone makers bet on dual-SIM handsets as price war deepens",
        standfirst="Customers juggling two operators' tariffs have created a market global brands ignored.",
        section="companies",
        on=archive_date(2010, 6, 18),
        authors=("ananya-bhattacharjee",),
        tags=("startups",),
        paras=(
            "Indian mobile phone brands are selling handsets that hold two SIM cards as fast as they can import "
            "them, as customers shuffle between operators to take advantage of falling call rates.",
            "Dealers on Delhi's Gaffar Market say dual-SIM models priced below ₹2,500 now make up more than half "
            "of their sales. Large international brands offer few such models, leaving the market to local "
            "firms that source handsets from Chinese manufacturers.",
            "Operators have cut call rates sharply over the past year, and many users keep one connection for "
            "cheap local calls and another for long-distance or for messages.",
            "Analysts say the local brands' margins are thin and that their reliance on imported handsets makes "
            "them vulnerable to changes in the exchange rate.",
        ),
    ),
    S(
        slug="online-sellers-gear-up-for-festive-sale",
        headline="Online sellers gear up for their biggest festive sale yet",
        standfirst="Small merchants are hiring packers and renting warehouse space as e-commerce sites promise "
        "record discounts.",
        section="companies",
        on=archive_date(2014, 9, 26),
        authors=("ananya-bhattacharjee",),
        tags=("startups",),
        paras=(
            "Small businesses that sell through e-commerce websites are hiring temporary packers, renting extra "
            "warehouse space and borrowing to build stock ahead of festive sales that the sites say will be "
            "their largest.",
            "A seller of kitchenware in Jaipur said she had tripled her stock and hired twelve packers for the "
            "month. A Surat textile trader said he had taken a loan for the first time in his business's history "
            "to buy fabric for the season.",
            "The sites are competing fiercely for customers, funded by investors who are willing to accept large "
            "losses for market share. Several have promised discounts of up to 80% on some items.",
            "Traders' associations representing physical shops have complained that such discounts are unfair "
            "competition, and have asked the government to examine the sites' practices.",
        ),
    ),
    S(
        slug="small-traders-adjust-to-gsts-first-month",
        headline="Small traders adjust to GST's first month",
        standfirst="Invoices, software and a new vocabulary: how a hardware shop in Indore handled the change.",
        section="economy",
        on=archive_date(2017, 8, 3),
        authors=("meera-raghunathan",),
        tags=("tax",),
        paras=(
            "A month after the goods and services tax came into force, Satish Jain's hardware shop in Indore has "
            "a new computer, a new billing program and a new habit: he asks every customer whether they want a "
            "tax invoice.",
            "The single national tax replaced a range of central and state levies. For Jain, the biggest change "
            "is that his suppliers now want his tax registration number on every bill, so that they and he can "
            "claim credit for tax paid.",
            "Sales fell in the first two weeks as customers and wholesalers waited to see how prices would "
            "change, he said, but have since recovered to their usual level.",
            "Tax practitioners in the city say they are overwhelmed by small traders seeking help with filing, "
            "and that the online system has been slow at peak times.",
        ),
        quote=Q(
            "Satish Jain",
            "owner of a hardware shop in Indore",
            "I have been in business for thirty years and I have never learned so many new words in one month",
        ),
    ),
    S(
        slug="kirana-stores-become-lockdowns-supply-line",
        headline="Kirana stores become the lockdown's supply line",
        standfirst="Neighbourhood grocers are taking orders on the phone, delivering to doorsteps and running "
        "short of staples.",
        section="india",
        on=archive_date(2020, 4, 6),
        authors=("rohan-mathew",),
        tags=("startups",),
        paras=(
            "With supermarkets crowded and delivery apps struggling to find riders, neighbourhood grocery shops "
            "have become the main source of food and household goods for many city residents during the "
            "nationwide lockdown.",
            "Shopkeepers in Chennai say they are taking orders by phone and messaging apps, packing them in the "
            "morning and sending a helper to deliver in the afternoon. Some have put up tables at their doors so "
            "customers do not enter the shop.",
            "Supplies are the main problem. Wholesale markets are operating only for a few hours, and trucks "
            "carrying goods between states have been held up at checkposts. Flour, pulses and cooking oil have "
            "run short in several areas.",
            "Owners say they are extending credit to regular customers who have lost income, writing the amounts "
            "in notebooks as their parents did.",
        ),
        quote=Q(
            "Murugan Selvaraj",
            "who runs a provision store in Mylapore",
            "I know every family on this street, and I will not let anyone go without rice because they "
            "cannot pay this week",
        ),
    ),
    S(
        slug="chip-packaging-plant-breaks-ground",
        headline="Made-in-India chip packaging plant breaks ground",
        standfirst="The facility will assemble and test chips designed elsewhere, a first step into semiconductor "
        "manufacturing.",
        section="technology",
        on=archive_date(2023, 9, 22),
        authors=("vikram-deshpande",),
        tags=("artificial-intelligence", "infrastructure"),
        paras=(
            "Construction began on a semiconductor assembly and testing plant near Sanand, which its backers say "
            "will be among the first in the country to package chips for commercial customers at scale.",
            "The plant will not make chips from raw silicon. It will receive finished wafers from foundries "
            "abroad, cut them into individual chips, package them and test them, work that is less capital "
            "intensive than fabrication but still demands precision and clean rooms.",
            "The project is supported by central and state subsidies that cover a large part of its cost. Its "
            "operators expect the first packaged chips within two years.",
            "Industry analysts said packaging was a sensible first step for India, where design skills are "
            "plentiful but manufacturing experience is thin.",
        ),
    ),
    # ---- for editors: a draft and a scheduled story -----------------------------------------
    S(
        slug="vayu-mobility-battery-swap-partnership-draft",
        headline="Vayu Mobility in talks on a battery-swap network with an oil marketer",
        standfirst="Draft: awaiting a second source before publication.",
        section="companies",
        status=DRAFT,
        authors=("ananya-bhattacharjee",),
        tags=("electric-vehicles", "energy"),
        paras=(
            "Vayu Mobility is in advanced talks with a state-run fuel retailer to set up battery-swapping "
            "stations at petrol pumps in five cities, two people with knowledge of the discussions said.",
            "Under the proposal, riders of Vayu scooters would exchange a depleted battery for a charged one in "
            "under two minutes, paying by subscription. The fuel retailer would provide space and power.",
            "Neither company would comment. One person said an announcement could come within weeks if the two "
            "sides agreed on how to share the cost of the batteries.",
            "Editor's note: confirm the number of cities and the subscription price before this goes out.",
        ),
    ),
    S(
        slug="weekend-read-last-typewriter-repair-shop",
        headline="Weekend read: the last typewriter repair shop on Mint Street",
        standfirst="For sixty years one family has kept the city's typewriters working. The customers are fewer "
        "now, but they still come.",
        section="india",
        status=SCHEDULED,
        hours_ago=-48,
        authors=("rohan-mathew",),
        tags=(),
        paras=(
            "The shop is eight feet wide and smells of machine oil. On the shelves above Abdul Rahim's bench sit "
            "eleven typewriters in various states of repair, each tagged with a name and a date in his careful "
            "handwriting.",
            "His father opened the shop in the early 1960s, when every office, court and railway station in the "
            "city ran on typewriters. At its busiest, the family employed six mechanics and had a waiting list.",
            "Today Rahim works alone. His customers are a few advocates who still type affidavits, two elderly "
            "novelists, a theatre company that needs a working machine for a period play, and a growing number "
            "of young people who buy old typewriters online and cannot make them work.",
            "He makes some parts himself on a small lathe, and salvages others from machines people leave with "
            "him and never collect. The ribbons come from a supplier in Kolkata who, he says, is also the last "
            "of his kind.",
        ),
        quote=Q(
            "Abdul Rahim",
            "who has repaired typewriters since he was twelve",
            "A computer you throw away in five years; a typewriter I can keep alive for your grandchildren",
        ),
    ),
)
