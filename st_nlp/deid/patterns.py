r"""The identifiers case notes carry, as data: one list of `Rule`s per entity type.

Tuned on the *dev* planted notes only (`st_nlp.deid.synthetic`, dev templates and names);
the held-out set uses other templates, other names and other seeds.

Conventions: `(?-i:...)` marks parts that must keep their case (a capitalised name after
a case-insensitive cue); `(?P<id>...)` is the part that gets replaced.
"""

from __future__ import annotations

import re

from st_nlp.deid.regex_recognizer import Rule

CASE_SENSITIVE = 0
# A capitalised word (names of places, schools, employers): "Holloway", "O'Neil", "St."
CAP = r"(?-i:[A-Z][\w'’.&-]*)"
CAPS_PHRASE = rf"{CAP}(?:\s+(?:of\s+|the\s+|de\s+|&\s+)?{CAP}){{0,4}}"

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:'?\d{2}|\d{4})"

DATE_RULES = [
    Rule("numeric date", r"\b[01]?\d[/.-][0-3]?\d(?:[/.-](?:\d{4}|\d{2}))?\b(?![/.-]?\d)", 0.9),
    Rule("iso date", r"\b\d{4}-[01]\d-[0-3]\d\b", 0.9),
    Rule("month day year", rf"\b{MONTH}\.?\s+{DAY}(?:,?\s+{YEAR})?\b", 0.9),
    Rule("day month year", rf"\b{DAY}\s+{MONTH}\.?(?:,?\s+{YEAR})?\b", 0.9),
    Rule("month year", rf"\b{MONTH}\.?,?\s+\d{{4}}\b", 0.9),
    Rule("year", r"\b(?:19[5-9]\d|20[0-4]\d)\b", 0.5),
]

TIME_RULES = [
    Rule("clock time", r"\b[0-2]?\d:[0-5]\d(?:\s*(?:[ap]\.?\s?m\.?))?(?!\w)", 0.9),
    Rule("hour am/pm", r"\b[01]?\d\s*(?:[ap]\.m\.|[ap]m\b)", 0.9),
    Rule("military time", r"\b[0-2]\d[0-5]\d\s*(?:hrs?\b\.?|hours\b)", 0.9),
]

PHONE_RULES = [
    Rule(
        "us phone",
        r"(?<!\w)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b(?:\s*(?:x|ext\.?)\s*\d+)?",
        0.8,
    ),
    Rule("local phone", r"\b(?:ph|phone|cell|tel|call|text|#)\W{0,3}(?P<id>\d{3}-\d{4})\b", 0.7),
]

EMAIL_RULES = [Rule("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.9)]

ID_TOKEN = r"(?=[\w-]*\d)[A-Z0-9][A-Z0-9-]{2,}[A-Z0-9]"
CASE_NUMBER_RULES = [
    Rule(
        "numbered record",
        r"\b(?:case|docket|incident|file|petition|report|referral|intake|complaint|cause|order"
        r"|claim|account|student|medicaid|ssn|id)\s*(?:no\.?|number|num\.?|#|id)?\s*[:#]?\s*#?\s*"
        rf"(?P<id>{ID_TOKEN})",
        0.85,
    ),
    Rule("court number", r"\b\d{2,4}-[A-Z]{1,4}-\d{2,7}\b", 0.85),
    Rule("prefixed number", r"\b(?-i:[A-Z]{1,4})\d{2}-\d{3,7}\b", 0.85),
    Rule("hash number", rf"#\s?(?P<id>{ID_TOKEN})", 0.6),
]

STREET = (
    r"(?-i:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Blvd|Boulevard|Ct|Court|Way|Pl|Place"
    r"|Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Trl|Trail|Loop|Row|Sq|Square|Pike"
    r"|Run|Path|Crossing|Xing|Alley|Aly)"
)
UNIT = (
    r"(?:apt|apartment|unit|suite|ste|lot|rm|room|trailer|space|bldg|building|#)\.?\s*#?\s*"
    r"[A-Z0-9]{1,5}\b"
)
ADDRESS_RULES = [
    Rule(
        "street address",
        rf"\b\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:{CAP}\s+){{1,3}}{STREET}\b\.?"
        rf"(?:,?\s*{UNIT})?(?:,\s*{CAP}(?:\s+{CAP})?(?:,\s*(?-i:[A-Z]{{2}}))?(?:\s+\d{{5}})?)?",
        0.85,
    ),
    Rule(
        "numbered road",
        r"\b\d{1,6}\s+(?:county\s+)?(?:road|rd|route|rte|hwy|highway)\s+\d+\w?\b",
        0.8,
    ),
    Rule("po box", r"\bp\.?\s?o\.?\s+box\s+\d+\b", 0.85),
    Rule("unit alone", rf"\b{UNIT}", 0.6),
    Rule("zip", r"\b(?-i:[A-Z]{2})\s+\d{5}(?:-\d{4})?\b", 0.6),
]

SCHOOL_WORDS = (
    r"(?-i:Elementary|Middle|High|Primary|Academy|Preschool|Pre-K|Montessori|Daycare|Day Care"
    r"|Learning Center|Child Care|Childcare|Early Learning|Head Start|Intermediate|Charter"
    r"|Junior High|School|Kindergarten|Nursery|Prep)"
)
SCHOOL_RULES = [
    Rule(
        "named school",
        rf"\b{CAP}(?:\s+{CAP}){{0,3}}\s+{SCHOOL_WORDS}(?:\s+(?-i:School|Center|Academy))?\b",
        0.8,
    ),
    Rule("school of", r"\b(?-i:Academy|School) of (?-i:[A-Z]\w+)(?:\s+(?-i:[A-Z]\w+))?", 0.7),
    Rule("ps number", r"\b(?:P\.?S\.?|M\.?S\.?|I\.?S\.?)\s?\d{1,3}\b", 0.7),
]

EMPLOYER_WORDS = (
    r"(?-i:Inc|LLC|Co|Corp|Company|Warehouse|Distribution|Logistics|Foods|Market|Supermarket"
    r"|Hospital|Clinic|Restaurant|Diner|Cafe|Café|Grill|Bakery|Factory|Plant|Motors|Auto"
    r"|Construction|Services|Salon|Store|Depot|Mart|Bank|Pharmacy|Manufacturing|Farms?"
    r"|Packing|Poultry|Trucking|Transport|Freight|Industries|Group|Plumbing|Roofing|Electric"
    r"|Landscaping|Cleaners|Laundry|Nursing|Care Center|Medical Center|Rehab|Tire|Steel"
    r"|Dealership|Casino|Shipping|Fulfillment Center)"
)
WORK_CUES = (
    r"(?:works?|working|worked|employed|job|shifts?|hired|manager|cashier|cook|driver|clerk"
    r"|nurse|aide|mechanic|supervisor)\b[^.;\n]{0,30}?\b(?:at|for|by|with)\s+(?:the\s+)?"
)
WORKPLACE_RULES = [
    Rule("employer suffix", rf"\b{CAP}(?:\s+{CAP}){{0,3}}\s+{EMPLOYER_WORDS}\b\.?", 0.75),
    Rule("works at", rf"\b{WORK_CUES}(?P<id>{CAPS_PHRASE})", 0.8),
]

SHELTER_WORDS = (
    r"(?-i:House|Shelter|Haven|Place|Center|Centre|Home|Homes|Lodge|Refuge|Sanctuary|Harbor"
    r"|Harbour|Safe House|Residence|Residences|Village|Commons|Manor|Motel|Hotel|Inn|Suites"
    r"|Extended Stay|Motor Inn|Apartments|Apts)"
)
SURVIVOR_LOCATION_RULES = [
    Rule("named shelter or lodging", rf"\b{CAP}(?:\s+{CAP}){{0,3}}\s+{SHELTER_WORDS}\b", 0.75),
    Rule("motel number", r"\b(?-i:Motel|Super|Studio) \d+\b", 0.8),
    Rule(
        "moved to",
        r"\b(?:moved|relocated|relocating|moving|fled|went|gone|transferred|staying|living|lives"
        r"|residing|resides|placed|sheltering|hiding|entered|stays)\b(?:\s+\w+){0,3}?\s+"
        rf"(?:to|in|at|into|near|with relatives in)\s+(?:the\s+)?(?P<id>{CAPS_PHRASE}"
        r"(?:,\s*(?-i:[A-Z]{2}|[A-Z][a-z]+))?)",
        0.8,
    ),
    Rule(
        "new address",
        r"\bnew\s+(?:address|location|residence|apartment|place)\s*(?:is|:|at|=)?\s*"
        r"(?P<id>[^.;\n]{3,60}?)(?=[.;\n]|\s+(?:and|but|which|per)\b|$)",
        0.85,
    ),
    Rule(
        "shelter cue",
        r"\b(?:shelter|motel|hotel|safe house)\s+(?:called|named|known as)\s+"
        rf"(?P<id>{CAPS_PHRASE})",
        0.85,
    ),
]

LOCATION_RULES = [
    Rule("city state", rf"\b(?P<id>{CAP}(?:\s+{CAP})?,\s*(?-i:[A-Z]{{2}}))\b(?!\w)", 0.6),
]

RULES_BY_ENTITY: dict[str, list[Rule]] = {
    "DATE": DATE_RULES,
    "TIME": TIME_RULES,
    "PHONE": PHONE_RULES,
    "EMAIL": EMAIL_RULES,
    "CASE_NUMBER": CASE_NUMBER_RULES,
    "ADDRESS": ADDRESS_RULES,
    "SCHOOL": SCHOOL_RULES,
    "WORKPLACE": WORKPLACE_RULES,
    "SURVIVOR_LOCATION": SURVIVOR_LOCATION_RULES,
    "LOCATION": LOCATION_RULES,
}

__all__ = ["CASE_SENSITIVE", "RULES_BY_ENTITY", "re"]
