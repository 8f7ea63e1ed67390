"""The demo archive's raw material: brief templates and the names they are filled with.

All invented (the companies, people and figures are fictional), written for this project.
`demo.py` turns them into thousands of stories, deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACES: tuple[tuple[str, str], ...] = (
    ("Pune", "Maharashtra"),
    ("Nagpur", "Maharashtra"),
    ("Coimbatore", "Tamil Nadu"),
    ("Madurai", "Tamil Nadu"),
    ("Indore", "Madhya Pradesh"),
    ("Guwahati", "Assam"),
    ("Kochi", "Kerala"),
    ("Kozhikode", "Kerala"),
    ("Ludhiana", "Punjab"),
    ("Visakhapatnam", "Andhra Pradesh"),
    ("Surat", "Gujarat"),
    ("Rajkot", "Gujarat"),
    ("Mysuru", "Karnataka"),
    ("Hubballi", "Karnataka"),
    ("Patna", "Bihar"),
    ("Bhubaneswar", "Odisha"),
    ("Jaipur", "Rajasthan"),
    ("Jodhpur", "Rajasthan"),
    ("Dehradun", "Uttarakhand"),
    ("Ranchi", "Jharkhand"),
    ("Lucknow", "Uttar Pradesh"),
    ("Kanpur", "Uttar Pradesh"),
    ("Raipur", "Chhattisgarh"),
    ("Siliguri", "West Bengal"),
    ("Shillong", "Meghalaya"),
    ("Warangal", "Telangana"),
)

COMPANIES: tuple[str, ...] = (
    "Deccan Looms",
    "Sahyadri Cement",
    "Konkan Shipping Lines",
    "Narmada Agro Foods",
    "Vindhya Power",
    "Tapti Textiles",
    "Nilgiri Tea Estates",
    "Godavari Fertilisers",
    "Malabar Spice Exporters",
    "Aravalli Motors",
    "Brahmaputra Logistics",
    "Kaveri Softworks",
    "Chambal Steel",
    "Satpura Pharma",
    "Hooghly Jute Mills",
    "Sabari Dairy Co-operative",
    "Mahanadi Coalfields Services",
    "Pennar Bearings",
)

PEOPLE: tuple[tuple[str, str], ...] = (
    ("R. K. Menon", "the district collector"),
    ("Sunita Kulkarni", "president of the local chamber of commerce"),
    ("Harpreet Gill", "a spokesperson for the state government"),
    ("Abdul Rashid", "secretary of the traders' association"),
    ("Deepa Sharma", "an economist at a Mumbai brokerage"),
    ("P. Srinivasan", "the municipal commissioner"),
    ("Joyita Sen", "who heads the growers' federation"),
    ("Naveen Reddy", "managing director of the company"),
    ("Meenakshi Pillai", "a senior official of the electricity board"),
    ("Arvind Joshi", "chairman of the exporters' council"),
    ("Farida Khan", "a fund manager in Bengaluru"),
    ("Gurcharan Bedi", "a former chief secretary of the state"),
)

COUNTRIES: tuple[str, ...] = (
    "Vietnam",
    "Kenya",
    "the United Arab Emirates",
    "Bangladesh",
    "Brazil",
    "Indonesia",
    "Germany",
    "Sri Lanka",
    "Japan",
    "South Africa",
)

CROPS: tuple[str, ...] = ("cotton", "soyabean", "onion", "sugarcane", "pulses", "paddy", "tea", "pepper", "wheat")
TOPICS: tuple[str, ...] = (
    "a simpler tax on goods",
    "cleaner city buses",
    "open data from the states",
    "better-paid teachers",
    "fewer permits for small factories",
    "a proper river authority",
    "smaller, faster courts",
    "a register of every public tender",
    "night trains between the state capitals",
    "school meals cooked in the village",
    "an independent fiscal council",
    "property records anyone can search",
    "a single licence for street vendors",
    "paying farmers for groundwater they save",
    "metering every municipal water connection",
)


@dataclass(frozen=True, slots=True)
class Brief:
    section: str
    headline: str
    standfirst: str
    lead: str
    quote: str  # what the person says (without quotation marks)
    wire: bool = False  # usually an agency's copy


# Slots: {city} {state} {company} {company_s} (its possessive) {person} {role} {country} {crop} {topic} {n} {days}
# {rain} {pct} {crore} {month} {year}.
BRIEFS: tuple[Brief, ...] = (
    Brief(
        "india",
        "Heavy rain shuts schools in {city} for a second day",
        "Low-lying neighbourhoods were flooded overnight and two arterial roads remain closed.",
        "Schools and colleges in {city} stayed shut on Wednesday after {rain} mm of rain fell in twelve hours, "
        "flooding low-lying neighbourhoods and cutting the road to the railway station.",
        "We have asked every ward office to keep pumps running through the night",
        wire=True,
    ),
    Brief(
        "india",
        "{city} gets {n} new buses as {state} widens city transport",
        "The first routes link the outer colonies to the main market and the district hospital.",
        "The {state} transport corporation flagged off {n} new buses in {city} on Monday, the first of a "
        "fleet meant to serve colonies on the edge of the city that have no public transport today.",
        "People in the new colonies have waited years for a bus that stops near their homes",
    ),
    Brief(
        "india",
        "Water tankers return to {city} as reservoirs run low",
        "The municipal body will supply water on alternate days until the monsoon sets in.",
        "The municipal corporation of {city} will supply piped water only on alternate days from next week, "
        "after the reservoirs that serve the city fell to {pct}% of their capacity.",
        "We would rather ration early than run dry in the last fortnight before the rains",
        wire=True,
    ),
    Brief(
        "india",
        "{state} High Court orders a survey of lakes around {city}",
        "The court asked the state to map encroachments within three months.",
        "The {state} High Court has ordered the state government to survey every lake within twenty "
        "kilometres of {city} and report the encroachments it finds within three months.",
        "The order gives the city its first complete record of what has been lost",
    ),
    Brief(
        "india",
        "{city} corporation passes a budget of ₹{crore} crore",
        "Roads and storm-water drains take the largest share; property tax stays unchanged.",
        "The municipal corporation of {city} passed a budget of ₹{crore} crore for the coming year on Friday, "
        "setting aside the largest share for roads and storm-water drains.",
        "There is no increase in property tax this year, and collection will go online",
    ),
    Brief(
        "economy",
        "{state} collects {pct}% more in sales tax in the {month} quarter",
        "Higher fuel sales and a drive against evasion account for most of the rise.",
        "Sales-tax collections in {state} rose {pct}% in the quarter to {month}, the state's finance department "
        "said, helped by higher fuel sales and a drive against traders who under-report turnover.",
        "The rise gives the state room to clear its dues to contractors before the year ends",
    ),
    Brief(
        "economy",
        "Wholesale prices rise {pct}% in {month}, led by vegetables",
        "Manufactured goods were steady; economists expect food prices to ease after the harvest.",
        "Wholesale prices rose {pct}% in {month} from a year earlier, official data showed, with vegetables "
        "and pulses accounting for most of the increase.",
        "Food prices should cool once the new crop reaches the mandis",
        wire=True,
    ),
    Brief(
        "economy",
        "Farm loans of small {crop} growers in {state} to be rescheduled",
        "Banks will spread repayments over three years for farmers hit by the failed rains.",
        "Banks in {state} will reschedule crop loans taken by small {crop} growers in the districts where the "
        "rains failed, spreading repayment over three years, the state-level bankers' committee decided.",
        "A farmer who lost this crop should not lose the next one to the moneylender",
    ),
    Brief(
        "economy",
        "Exporters in {city} ask for faster refunds of duties",
        "Delayed refunds tie up working capital for small units, the exporters' body says.",
        "Exporters in {city} have asked the finance ministry to clear pending refunds of duties within thirty "
        "days, saying the delays have tied up working capital worth ₹{crore} crore.",
        "A small unit cannot wait six months for money the government already owes it",
    ),
    Brief(
        "markets",
        "Shares close higher as banks recover; {company} gains {pct}%",
        "Foreign funds were net buyers for a third session; the rupee was steady.",
        "Shares closed higher on Tuesday as banking stocks recovered from last week's losses, and {company} "
        "rose {pct}% after it reported a stronger order book.",
        "Buyers are coming back to the banks now that the bad-loan numbers look settled",
        wire=True,
    ),
    Brief(
        "markets",
        "Rupee ends weaker as oil importers buy dollars",
        "The currency recovered part of its early losses after state-run banks sold dollars.",
        "The rupee closed weaker against the dollar on Thursday as oil companies bought the currency to pay for "
        "imports, though it recovered part of its early fall late in the day.",
        "Month-end demand from importers usually fades by the first week",
        wire=True,
    ),
    Brief(
        "markets",
        "{company} shares fall {pct}% after results miss estimates",
        "Higher raw-material costs ate into margins in the quarter.",
        "Shares of {company} fell {pct}% on Monday after the company reported quarterly profit below analysts' "
        "estimates, blaming higher prices for raw materials.",
        "The market had priced in a much better quarter than the company could deliver",
    ),
    Brief(
        "companies",
        "{company} to build a ₹{crore} crore plant near {city}",
        "The plant is expected to employ {n} people when it starts production in two years.",
        "{company} will build a ₹{crore} crore plant near {city}, its second in {state}, the company said on "
        "Wednesday, adding that land for the project had been acquired.",
        "We chose the site for its rail link and the skills already in the district",
    ),
    Brief(
        "companies",
        "{company} names {person} managing director",
        "The appointment ends a search that lasted most of the year.",
        "{company} has appointed {person} as its managing director from next month, ending a search that began "
        "when the previous chief stepped down in the spring.",
        "The board wanted someone who knows both the factory floor and the balance sheet",
    ),
    Brief(
        "companies",
        "{company_s} quarterly profit rises {pct}%",
        "Sales grew in every region except exports, which were hit by a strong rupee.",
        "{company} reported a {pct}% rise in net profit for the quarter to {month}, helped by higher sales in "
        "the domestic market and lower interest costs.",
        "We paid down debt through the year and it shows in the interest line",
        wire=True,
    ),
    Brief(
        "companies",
        "Workers at {company_s} {city} unit end strike after {days} days",
        "The management agreed to a wage revision and to review contract hiring.",
        "Workers at the {city} unit of {company} returned to work on Saturday, ending a strike that lasted {days} "
        "days, after the management agreed to revise wages from April.",
        "Both sides gave ground, and the agreement will be reviewed in a year",
    ),
    Brief(
        "technology",
        "{city} start-up raises funds to take {crop} payments online",
        "The company lets traders pay growers directly into their bank accounts at the mandi.",
        "A {city} start-up that lets traders pay {crop} growers directly into their bank accounts has raised "
        "₹{crore} crore from investors, its founders said.",
        "A farmer should leave the mandi with the money in his account, not a promise",
    ),
    Brief(
        "technology",
        "Broadband reaches {n} villages of {state} under a state scheme",
        "Panchayat offices and schools were connected first; homes follow next year.",
        "Optical-fibre broadband now reaches {n} villages of {state}, the state's information technology "
        "department said, with panchayat offices and schools connected first.",
        "The school connection is what parents ask about first",
    ),
    Brief(
        "technology",
        "{company} opens a software centre in {city} to hire {n} engineers",
        "The company says it will recruit from colleges in the region.",
        "{company} opened a software development centre in {city} on Thursday and said it would hire {n} "
        "engineers over two years, most of them from colleges in {state}.",
        "Engineers from this region used to leave for the metros; now the work can come to them",
    ),
    Brief(
        "world",
        "Indian exporters look to {country} as duties ease",
        "Textiles, engineering goods and processed food are expected to gain most.",
        "Indian exporters expect shipments to {country} to rise after the two governments agreed to lower "
        "duties on a range of goods, trade bodies said.",
        "Our members have waited a long time for a level field in that market",
        wire=True,
    ),
    Brief(
        "world",
        "{country} delegation visits {city} to discuss port links",
        "Talks covered a direct shipping line and cold storage for fruit exports.",
        "A trade delegation from {country} met port officials and exporters in {city} this week to discuss a "
        "direct shipping line and cold-storage capacity for fruit.",
        "A direct line would cut the journey by nearly a week",
        wire=True,
    ),
    Brief(
        "opinion",
        "The case for {topic}",
        "It costs less than the delay it would end, and the states are ready to try it.",
        "Every few years the argument for {topic} is made, agreed with, and put away. {year} should be the year "
        "it is acted on, and {state} has shown how it can be done.",
        "Good policy is usually a boring idea that somebody finally carries out",
    ),
    Brief(
        "opinion",
        "What {city} can teach the rest of {state}",
        "A city that fixed its water supply without a grand plan has a lesson for its neighbours.",
        "{city} did not wait for a master plan. It fixed its leaking pipes one ward at a time, published the "
        "results, and cut the water it loses by {pct}%.",
        "Measure what you lose, publish it, and fix the worst first",
    ),
)

# Generic follow-on paragraphs by section: {slots} as above.
FOLLOW_ON: dict[str, tuple[str, ...]] = {
    "india": (
        "Officials said a review would be held next week with the departments concerned.",
        "Residents said the problem had been raised at ward meetings for several years.",
        "The district administration has set up a control room that will stay open round the clock.",
        "Opposition members said the measures came too late and asked for a report to the assembly.",
    ),
    "economy": (
        "Economists said the figures for the next quarter would show whether the trend holds.",
        "The state's finance department expects the full-year figure to beat its budget estimate.",
        "Traders' bodies welcomed the move but asked for simpler filing rules.",
        "The data will be revised next month when returns from the districts are complete.",
    ),
    "markets": (
        "Trading volumes were about {pct}% above the monthly average.",
        "Analysts expect markets to stay range-bound until the central bank's policy meeting.",
        "Metal and power stocks lagged as commodity prices softened overseas.",
        "Brokers said retail investors had been steady buyers through the week.",
    ),
    "companies": (
        "The company's shares closed {pct}% higher on the news.",
        "The company said the project would be funded from internal accruals and a term loan.",
        "Suppliers in {state} are expected to benefit from the expansion.",
        "The board will meet next month to consider a dividend.",
    ),
    "technology": (
        "The company plans to reach {n} more towns next year.",
        "Industry bodies said connectivity in smaller towns had improved faster than expected.",
        "The state government has promised to match private investment in training.",
        "Users can sign up in English, Hindi and the state's language.",
    ),
    "world": (
        "Officials said the next round of talks would be held within three months.",
        "Freight costs on the route have fallen by nearly a fifth since last year.",
        "Trade between the two countries was worth ₹{crore} crore last year.",
        "Exporters said payment delays remained their main concern.",
    ),
    "opinion": (
        "None of this needs a new law. It needs a department willing to publish its own numbers.",
        "The objection is always cost, yet the cost of the present arrangement is never counted.",
        "The states that tried it first have not asked to go back.",
        "A start can be made this year, in one district, with the money already budgeted.",
    ),
}
