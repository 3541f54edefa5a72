"""Synthetic case notes with planted identifiers, for measuring de-identification.

Two disjoint worlds: the *dev* world (templates, names, places) that the recognizers were
tuned on, and the *held-out* world with other templates, other names and other seeds, on
which the reported numbers are measured. Nothing here is real data.

A note is rendered from a template whose `{SLOT}`s are filled with generated values; every
filled slot is a planted identifier with its character offsets, type and (for people) the
role token it should get.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

World = Literal["dev", "heldout"]
IDENTIFIER_TYPES = (
    "PERSON",
    "DATE",
    "TIME",
    "ADDRESS",
    "PHONE",
    "EMAIL",
    "CASE_NUMBER",
    "SCHOOL",
    "WORKPLACE",
    "SURVIVOR_LOCATION",
)


@dataclass(frozen=True)
class Names:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    places: tuple[str, ...]  # words for streets, schools, employers, shelters
    cities: tuple[str, ...]


NAMES: dict[World, Names] = {
    "dev": Names(
        female=tuple(
            "Ana Maria Keisha Priya Mei Fatima Olga Siobhan Aaliyah Yesenia Nguyet Amara Ingrid"
            " Rosa Tamika Leilani Hana Zainab Brittany Carmen".split()
        ),
        male=tuple(
            "Luis Jamal Dmitri Kenji Omar Tyrone Sean Rahul Mateo Kwame Bao Javier Cody Tariq"
            " Andre Hamza Diego Wei Trevor Malik".split()
        ),
        surnames=tuple(
            "Ortiz Nguyen Okafor Patel Kowalski Johnson Haddad Murphy Tanaka Mensah Garcia"
            " Ivanova Washington Reyes Chen Abdullah Schmidt Begay Santos Kim".split()
        ),
        places=tuple(
            "Maple Cedar Riverside Lincoln Oakwood Pine Harbor Meadow Sunset Willow Elm"
            " Franklin Hillcrest Lakeview Brook".split()
        ),
        cities=tuple("Dayton Fresno Tacoma Albany Tulsa Mesa Reno Toledo Akron Boise".split()),
    ),
    "heldout": Names(
        female=tuple(
            "Guadalupe Ngozi Thuy Svetlana Aoife Latoya Chiara Esperanza Yuki Wanjiru Dalia"
            " Marisol Shanice Parveen Agnieszka Imani Hyejin Lucia Destiny Noor".split()
        ),
        male=tuple(
            "Kevin Chidi Arjun Pedro Marek Darnell Yusuf Hiroshi Tomasz Emeka Rashad Alejandro"
            " Connor Farid Dante Kofi Minh Ravi Brandon Ezequiel".split()
        ),
        surnames=tuple(
            "Donnelly Adeyemi Wrobel Bautista Castillo Oyelaran Friedman Nakamura Mbeki Rossi"
            " Hernandez Kaur Jefferson Novak Takahashi Osei Delgado Yazzie Lindqvist Park".split()
        ),
        places=tuple(
            "Cobble Birchwood Holloway Kingsley Magnolia Juniper Stonebridge Fairmont Ashford"
            " Greenfield Redstone Clearwater Bayside Orchard Summit".split()
        ),
        cities=tuple(
            "Carrow Falls|Springdale|Millbrook|Port Haven|Eastfield|Cold Harbor|Fenwick"
            "|Ridgeway|Salem|Granite City".split("|")
        ),
    ),
}

TEMPLATES: dict[World, tuple[str, ...]] = {
    "dev": (
        "CW {WORKER} made an unannounced home visit on {DATE} at {TIME} to {ADDRESS}. BM"
        " {MOTHER_FIRST} answered the door with {CHILD1_FIRST} ({CHILD1_AGE}). FOB"
        " {FATHER_FIRST} was not present; BM stated he left after an argument.",
        "Intake rec'd {DATE} re: Case #{CASE}. RP {OTHER} reported that {FATHER} pushed"
        " {MOTHER} into a wall in front of {CHILD1} and {CHILD2}. RP can be reached at {PHONE}.",
        "{MOTHER} ({MOTHER_ROLE}) reported that she and the children moved to {SHELTER} on"
        " {DATE}. {CHILD1_FIRST} attends {SCHOOL}. Her new address is {NEW_ADDRESS}.",
        "Per police report Incident #{CASE}, Mr. {FATHER_TITLE} was arrested at {WORKPLACE} on"
        " {DATE}. Ms. {MOTHER_TITLE} was contacted by phone at {PHONE} and by email at {EMAIL}.",
        "MGM {RELATIVE} stated that {CHILD1_FIRST} stays with her after school at"
        " {ADDRESS}. {FATHER_INITIAL} called her on {DATE} around {TIME} asking where"
        " {MOTHER_FIRST} is living now.",
        "Supervisor consult with {WORKER} on {DATE}: BM {MOTHER_FIRST} relocated to {CITY}"
        " with {CHILD1_FIRST} and {CHILD2_FIRST}. FOB works at {WORKPLACE}. Docket No."
        " {CASE}.",
        "bm {MOTHER_FIRST_LOWER} said fob {FATHER_FIRST_LOWER} took her phone on {DATE}."
        " she is staying at {SHELTER} and {CHILD1_FIRST_LOWER} still goes to {SCHOOL}.",
    ),
    "heldout": (
        "Worker {WORKER} met with {MOTHER} at {SHELTER} on {DATE}. {MOTHER_FIRST} said"
        " {FATHER_FIRST} threatened her by text from {PHONE} at {TIME} and that {CHILD1_FIRST}"
        " ({CHILD1_AGE}) saw the messages.",
        "Court report, Docket No. {CASE}: the father, {FATHER}, was ordered to stay away from"
        " {ADDRESS} and from {SCHOOL}, where {CHILD1} is in 2nd grade. Hearing held {DATE}.",
        "{MOTHER_INITIAL} disclosed that {FATHER_FIRST} followed her to {WORKPLACE} on {DATE}"
        " and waited in the lot until {TIME}. She asked that her new address, {NEW_ADDRESS},"
        " not be shared with Mr. {FATHER_TITLE}.",
        "Collateral call from teacher {OTHER} ({EMAIL}) on {DATE}: {CHILD2_FIRST} ({CHILD2_AGE})"
        " told staff that daddy {FATHER_FIRST} broke the TV. Ref. Case No. {CASE}.",
        "Maternal aunt {RELATIVE} reports {MOTHER_FIRST} and the kids are now in {CITY} and"
        " that Mr. {FATHER_TITLE} keeps calling {PHONE} from {WORKPLACE}. Visit set for {DATE} at"
        " {TIME}.",
        "mom {MOTHER_FIRST_LOWER} reported that {FATHER_FIRST_LOWER} grabbed"
        " {CHILD1_FIRST_LOWER} by the arm on {DATE}; they left for {SHELTER} that night.",
        "DV advocate {OTHER} confirmed that Ms. {MOTHER_TITLE} and {CHILD1_FIRST} were placed at"
        " {SHELTER} on {DATE}; {FATHER} remains at {ADDRESS}. Contact the advocate at {PHONE}.",
    ),
}

SLOT = re.compile(r"\{([A-Z0-9_]+)\}")
MONTHS = "January February March April May June July August September October November December"


class _Family:
    """Names and values for one note, drawn from one world's lists."""

    def __init__(self, rng: random.Random, names: Names, world: World) -> None:
        self.rng = rng
        self.names = names
        self.world = world
        surname = rng.choice(names.surnames)
        other = rng.choice([s for s in names.surnames if s != surname])
        self.people: dict[str, tuple[str, str, str]] = {
            "MOTHER": (rng.choice(names.female), surname, "MOTHER"),
            "FATHER": (rng.choice(names.male), rng.choice([surname, other]), "FATHER"),
            "CHILD1": (rng.choice(names.female + names.male), surname, "CHILD"),
            "CHILD2": (rng.choice(names.female + names.male), surname, "CHILD"),
            "WORKER": (rng.choice(names.female + names.male), rng.choice(names.surnames), "WORKER"),
            "RELATIVE": (rng.choice(names.female), surname, "RELATIVE"),
            "OTHER": (rng.choice(names.female + names.male), rng.choice(names.surnames), "PERSON"),
        }
        while self.people["CHILD2"][0] == self.people["CHILD1"][0]:
            self.people["CHILD2"] = (rng.choice(names.female + names.male), surname, "CHILD")

    def value(self, slot: str) -> tuple[str, str, str | None]:
        """(text, identifier type, expected role or None) for a slot."""
        rng = self.rng
        base = slot.split("_")[0]
        if base in self.people:
            first, last, role = self.people[base]
            if slot.endswith("_AGE"):
                return str(rng.randint(1, 15)), "", None
            if slot.endswith("_ROLE"):
                return "mother", "", None
            if slot.endswith("_FIRST_LOWER"):
                return first.lower(), "PERSON", role
            if slot.endswith("_FIRST"):
                return first, "PERSON", role
            if slot.endswith("_TITLE"):  # the title is not an identifier: not planted
                return last, "PERSON", role
            if slot.endswith("_INITIAL"):
                return f"{first[0]}. {last}", "PERSON", role
            return f"{first} {last}", "PERSON", role
        return self._other(slot), _TYPE_OF[slot], None

    def _other(self, slot: str) -> str:
        rng, names = self.rng, self.names
        month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.choice([2023, 2024, 2025])
        month_name = MONTHS.split()[month - 1]
        place = rng.choice(names.places)
        if slot == "DATE":
            return rng.choice(
                [
                    f"{month}/{day}/{year % 100}",
                    f"{month}-{day}-{year}",
                    f"{month_name} {day}, {year}",
                    f"{day} {month_name[:3]} {year % 100}",
                    f"{month:02d}/{day:02d}/{year}",
                    f"{month_name[:3]}. {day}",
                ]
            )
        if slot == "TIME":
            hour, minute = rng.randint(1, 12), rng.choice([0, 15, 30, 45, 10])
            return rng.choice(
                [
                    f"{hour}:{minute:02d} pm",
                    f"{hour}:{minute:02d} a.m.",
                    f"{hour} p.m.",
                    f"{hour + 8:02d}{minute:02d} hrs",
                ]
            )
        if slot in ("ADDRESS", "NEW_ADDRESS"):
            street = rng.choice(["St", "Ave", "Rd", "Ln", "Drive", "Court", "Blvd", "Way"])
            unit = rng.choice(
                [
                    "",
                    f", Apt {rng.randint(1, 9)}{rng.choice('ABC')}",
                    f" Lot {rng.randint(1, 60)}",
                    f", Unit {rng.randint(1, 40)}",
                ]
            )
            return f"{rng.randint(2, 9999)} {place} {street}{unit}"
        if slot == "PHONE":
            area, mid, end = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
            return rng.choice(
                [f"({area}) {mid}-{end:04d}", f"{area}-{mid}-{end:04d}", f"{area}.{mid}.{end:04d}"]
            )
        if slot == "EMAIL":
            first, last, _ = self.people["OTHER"]
            return f"{first[0].lower()}{last.lower()}{rng.randint(1, 99)}@" + rng.choice(
                ["gmail.com", "county.gov", "yahoo.com", "school.org"]
            )
        if slot == "CASE":
            return rng.choice(
                [
                    f"{year % 100}-JV-{rng.randint(1, 9999):04d}",
                    f"{year}-DR-{rng.randint(1, 999)}",
                    f"MH{year % 100}-{rng.randint(10000, 99999)}",
                    f"{rng.randint(100000, 999999)}",
                ]
            )
        if slot == "SCHOOL":
            kind = rng.choice(
                [
                    "Elementary",
                    "Middle School",
                    "Academy",
                    "Head Start",
                    "Elementary School",
                    "Montessori",
                ]
            )
            return f"{place} {kind}"
        if slot == "WORKPLACE":
            kind = rng.choice(
                ["Foods", "Warehouse", "Auto Body", "Logistics", "Diner", "Medical Center"]
            )
            return f"{place} {kind}"
        if slot == "SHELTER":
            kind = rng.choice(["House", "Haven", "Motel", "Inn", "Shelter", "Family Shelter"])
            return f"{place} {kind}"
        if slot == "CITY":
            return rng.choice(names.cities)
        raise KeyError(slot)


_TYPE_OF = {
    "DATE": "DATE",
    "TIME": "TIME",
    "ADDRESS": "ADDRESS",
    "NEW_ADDRESS": "SURVIVOR_LOCATION",
    "PHONE": "PHONE",
    "EMAIL": "EMAIL",
    "CASE": "CASE_NUMBER",
    "SCHOOL": "SCHOOL",
    "WORKPLACE": "WORKPLACE",
    "SHELTER": "SURVIVOR_LOCATION",
    "CITY": "SURVIVOR_LOCATION",
}


def render(template: str, family: _Family) -> dict[str, Any]:
    """Fill a template; return the note with its planted identifiers."""
    text = ""
    planted: list[dict[str, Any]] = []
    position = 0
    for match in SLOT.finditer(template):
        text += template[position : match.start()]
        value, kind, role = family.value(match.group(1))
        if kind:
            planted.append(
                {
                    "start": len(text),
                    "end": len(text) + len(value),
                    "type": kind,
                    "role": role,
                    "person": match.group(1).split("_")[0] if kind == "PERSON" else None,
                }
            )
        text += value
        position = match.end()
    text += template[position:]
    return {"text": text, "identifiers": planted}


def generate(world: World, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` notes of 2-3 templates each from `world`, reproducible from `seed`."""
    rng = random.Random(seed)
    notes = []
    for number in range(n):
        family = _Family(rng, NAMES[world], world)
        parts = rng.sample(TEMPLATES[world], k=rng.randint(2, 3))
        text, planted = "", []
        for part in parts:
            rendered = render(part, family)
            offset = len(text) + (1 if text else 0)
            text = f"{text}\n{rendered['text']}" if text else rendered["text"]
            for item in rendered["identifiers"]:
                planted.append(
                    {**item, "start": item["start"] + offset, "end": item["end"] + offset}
                )
        notes.append(
            {"note_id": f"{world}-{seed}-{number:03d}", "text": text, "identifiers": planted}
        )
    return notes


def write_fixture(path: Path, world: World, n: int, seed: int) -> int:
    notes = generate(world, n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for note in notes:
            handle.write(json.dumps(note, ensure_ascii=False) + "\n")
    return len(notes)


def read_fixture(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
