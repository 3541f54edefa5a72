"""The benchmark's synthetic workload: corpus sentences and notes with fresh names and dates.

Every variant of a corpus note gets its people renamed (given and family names drawn from
invented pools), its dates shifted and its other numbers redrawn, all from one seeded random
generator. The variants are distinct texts, so a sentence-result cache cannot serve a repeat:
the benchmark measures the models, not the cache. Nothing here is written to the repository;
`write_notes_jsonl` writes into a folder the caller chooses (a temporary one).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, SENTENCES_FILE

GIVEN_NAMES = (
    "Abena Ada Aiko Alba Anouk Ayesha Bao Bianca Catalina Dalia Dara Eilidh Elif Esperanza"
    " Farah Freya Gita Hana Ines Isla Jana Jia Kalani Kamila Lena Lucia Maeve Malia Mei Mirela"
    " Nalani Noor Olga Paloma Rania Rhea Sadia Sana Sigrid Thandiwe Ula Valeria Wren Xiadani"
    " Yara Zainab Abdi Ahmed Alejandro Anil Arjun Baraka Bjorn Cian Dario Declan Diego Eamon"
    " Emil Enzo Faisal Felipe Goran Hamza Hugo Idris Jonah Jorge Kai Kofi Luca Malik Marek"
    " Milan Nasser Niko Omar Osei Pavel Quinn Rafael Ravi Santiago Soren Taro Teodor Tomas"
    " Umar Viktor Xavier Yusuf Zoran"
).split()
FAMILY_NAMES = (
    "Abara Achebe Alvarez Andersen Baptiste Barros Bianchi Brennan Castillo Chowdhury Costa"
    " Dahl Delgado Dubois Ekwueme Eriksen Fernandes Fischer Gallagher Gomez Haddad Halvorsen"
    " Horvat Ibarra Iwasaki Jansen Jovanovic Kaur Keller Kowalski Lambert Lindqvist Lopez"
    " Mahlaba Marino Mendes Moreau Nakamura Novak Nwosu Okafor Olsen Ortega Papadopoulos"
    " Petrov Quispe Rahman Reyes Rossi Saito Salazar Schmidt Sorensen Suzuki Tanaka Torres"
    " Ulloa Varga Vasquez Wagner Walsh Yamamoto Yilmaz Zapata Zielinski"
).split()

_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMBER = re.compile(r"(?<![\d/:-])\d+(?![\d/])")


@dataclass(frozen=True)
class Workload:
    """Distinct sentences and notes (with their metadata) for one benchmark run."""

    sentences: list[str]
    notes: list[dict[str, object]]


class _Varier:
    """Rewrites one note's names, dates and numbers consistently within that note."""

    def __init__(self, rng: random.Random, people: list[str]) -> None:
        self.rng = rng
        self.names: dict[str, str] = {}
        for full in people:
            parts = [p for p in full.replace(".", " ").split() if len(p) >= 3 and p[0].isupper()]
            for index, part in enumerate(parts):
                pool = FAMILY_NAMES if index == len(parts) - 1 and len(parts) > 1 else GIVEN_NAMES
                self.names.setdefault(part, rng.choice(pool))
        self.pattern = (
            re.compile(
                r"\b(" + "|".join(map(re.escape, sorted(self.names, key=len)[::-1])) + r")\b"
            )
            if self.names
            else None
        )
        self.day_shift = rng.randint(-700, 700)

    def _slash(self, match: re.Match[str]) -> str:
        month, day, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        try:
            base = date(2000 + int(year) % 100 if year else 2024, month, min(day, 28))
        except ValueError:
            return match.group(0)
        new = base + timedelta(days=self.day_shift)
        if year is None:
            return f"{new.month}/{new.day}"
        return f"{new.month}/{new.day}/{new.year if len(year) == 4 else f'{new.year % 100:02d}'}"

    def _iso(self, match: re.Match[str]) -> str:
        try:
            base = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return match.group(0)
        return (base + timedelta(days=self.day_shift)).isoformat()

    def _number(self, match: re.Match[str]) -> str:
        digits = match.group(0)
        if len(digits) == 1:
            return str(self.rng.randint(2, 9))
        low = 10 ** (len(digits) - 1)
        return str(self.rng.randint(low, 10 * low - 1))

    def vary(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.names[m.group(1)], text)
        text = _ISO_DATE.sub(self._iso, text)
        text = _SLASH_DATE.sub(self._slash, text)
        return _NUMBER.sub(self._number, text)

    def vary_date(self, value: str | None) -> str | None:
        if not value:
            return value
        try:
            return (date.fromisoformat(value) + timedelta(days=self.day_shift)).isoformat()
        except ValueError:
            return value


def _read(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _people(note: dict[str, object]) -> list[str]:
    people = note.get("people") or []
    assert isinstance(people, list)
    return [str(p["name"]) for p in people if isinstance(p, dict) and "name" in p]


def _rounds(items: list[dict[str, object]], rng: random.Random) -> Iterator[int]:
    round_index = 0
    while True:
        yield round_index
        round_index += 1
        rng.shuffle(items)


def build_workload(
    n_sentences: int = 20_000,
    n_notes: int = 1_000,
    seed: int = 2024,
    data_dir: Path = DATA_DIR,
) -> Workload:
    """`n_sentences` distinct sentences and `n_notes` distinct notes, the same for a seed."""
    rng = random.Random(seed)
    notes = _read(data_dir / NOTES_FILE)
    people = {str(n["note_id"]): _people(n) for n in notes}
    records = _read(data_dir / SENTENCES_FILE)
    if not notes or not records:
        raise ValueError(f"{data_dir}: the corpus has no notes or no sentences")

    sentences: list[str] = []
    seen: set[str] = set()
    for round_index in _rounds(records, rng):
        for record in records:
            varier = _Varier(rng, people.get(str(record["note_id"]), []))
            text = varier.vary(str(record["text"])) if round_index else str(record["text"])
            if text not in seen:
                seen.add(text)
                sentences.append(text)
                if len(sentences) == n_sentences:
                    break
        if len(sentences) == n_sentences or round_index > 200:
            break
    if len(sentences) < n_sentences:
        raise ValueError(f"could only build {len(sentences)} distinct sentences")

    out_notes: list[dict[str, object]] = []
    seen_notes: set[str] = set()
    for round_index in _rounds(notes, rng):
        for note in notes:
            varier = _Varier(rng, _people(note))
            text = varier.vary(str(note["text"]))
            if text in seen_notes:
                continue
            seen_notes.add(text)
            out_notes.append(
                {
                    "note_id": f"bench-{len(out_notes):06d}",
                    "text": text,
                    "case_id": note.get("case_id"),
                    "worker_id": note.get("worker_id"),
                    "unit": note.get("unit"),
                    "date": varier.vary_date(note.get("date")),  # type: ignore[arg-type]
                }
            )
            if len(out_notes) == n_notes:
                break
        if len(out_notes) == n_notes or round_index > 500:
            break
    if len(out_notes) < n_notes:
        raise ValueError(f"could only build {len(out_notes)} distinct notes")
    return Workload(sentences, out_notes)


def write_notes_jsonl(notes: list[dict[str, object]], path: Path) -> Path:
    """Write notes as audit input (JSONL with note_id, text and metadata)."""
    with path.open("w", encoding="utf-8") as handle:
        for note in notes:
            handle.write(json.dumps(note, ensure_ascii=False) + "\n")
    return path


def interactive_note(rng: random.Random, sentences: list[str], words: int = 150) -> list[str]:
    """Sentences drawn from `sentences` until the note has about `words` words."""
    picked: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(sentences)
        picked.append(sentence)
        count += len(sentence.split())
    return picked
