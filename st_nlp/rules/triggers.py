"""Which texts a blaming rule could fire on, read from the tokenizer alone.

Scoring independent sentences (`st-nlp classify`, `st-nlp evaluate`) spends most of its spaCy
time tagging and parsing sentences that no rule can match: a pattern needs every one of its
required words, and about four sentences in five lack one. `RuleTriggers` answers "could any
rule fire here?" from tokens only, so those sentences skip the parse. It must never say no
where a rule fires (a skipped sentence loses its findings), so every test is a superset of
the rule's own:

- a word's possible lemmas are all those spaCy's rule lemmatizer could give it under *any*
  part of speech (its exception table and every suffix rule, unfiltered by the word index),
  plus the attribute ruler's fixed lemmas, plus the word itself;
- a pattern is possible when each of its required tokens (no `OP`, or `+`) with literal
  `LOWER`/`LEMMA` values has one of them among the words / possible lemmas; a rule with
  `require_near` also needs one of those; `exclude_near` is ignored (it only removes hits);
- an agentless-passive rule is possible when one of its verbs is a possible lemma.

When the pipeline has no rule lemmatizer the lemmas cannot be predicted and every text is
possible. `tests/test_rule_triggers.py` checks on the whole corpus that no sentence with a
finding is ever ruled out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

from st_nlp.rules.spec import RuleSpec

# Parts of speech whose lemma tables the English rule lemmatizer consults.
LEMMATIZED_POS = ("noun", "verb", "adj", "adv")


@dataclass(frozen=True)
class _Requirement:
    """One required pattern token: one of `lower` among the words, or of `lemma` among the
    possible lemmas (a token constrained on both needs both)."""

    lower: frozenset[str] | None
    lemma: frozenset[str] | None

    def met(self, words: set[str], lemmas: set[str]) -> bool:
        if self.lower is not None and words.isdisjoint(self.lower):
            return False
        return self.lemma is None or not lemmas.isdisjoint(self.lemma)


def _literal(token: dict[str, Any], attribute: str) -> frozenset[str] | None:
    value = token.get(attribute)
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
        return frozenset(str(v) for v in value["IN"])
    return None


def _requirements(pattern: list[dict[str, Any]]) -> tuple[_Requirement, ...]:
    found = []
    for token in pattern:
        if token.get("OP", "1") not in {"1", "+"}:
            continue
        lower = _literal(token, "LOWER")
        lemma = _literal(token, "LEMMA")
        if lower is not None or lemma is not None:
            found.append(
                _Requirement(
                    frozenset(v.lower() for v in lower) if lower is not None else None, lemma
                )
            )
    return tuple(found)


class PossibleLemmas:
    """Every lemma spaCy's rule lemmatizer and attribute ruler could give a word."""

    def __init__(self, nlp: Language) -> None:
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
            raise ValueError("no rule lemmatizer in the pipeline")
        lookups = lemmatizer.lookups
        exceptions = lookups.get_table("lemma_exc", {})
        rules = lookups.get_table("lemma_rules", {})
        self._exceptions = [exceptions.get(pos, {}) for pos in LEMMATIZED_POS]
        self._rules = [(old, new) for pos in LEMMATIZED_POS for old, new in rules.get(pos, [])]
        fixed: dict[str, set[str]] = {}
        anywhere: set[str] = set()
        ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
        if isinstance(ruler, AttributeRuler):
            entries = cast(list[dict[str, Any]], ruler.patterns)
            for entry in entries:
                lemma = entry.get("attrs", {}).get("LEMMA")
                if not isinstance(lemma, str):
                    continue
                for pattern in entry.get("patterns", []):
                    words: set[str] = set()
                    for token in pattern:
                        for attribute in ("LOWER", "ORTH", "TEXT"):
                            values = _literal(token, attribute)
                            if values:
                                words.update(v.lower() for v in values)
                    if words:
                        for word in words:
                            fixed.setdefault(word, set()).add(lemma)
                    else:  # a pattern on tags alone could give this lemma to any word
                        anywhere.add(lemma)
        self._fixed = {word: frozenset(lemmas) for word, lemmas in fixed.items()}
        self._anywhere = frozenset(anywhere)
        self.of = lru_cache(maxsize=200_000)(self._of)

    def _of(self, text: str) -> frozenset[str]:
        lower = text.lower()
        lemmas = {text, lower}
        for table in self._exceptions:
            lemmas.update(table.get(lower, ()))
        for old, new in self._rules:
            if lower.endswith(old):
                form = lower[: len(lower) - len(old)] + new
                if form:
                    lemmas.add(form)
        lemmas.update(self._fixed.get(lower, ()))
        return frozenset(lemmas)

    @property
    def anywhere(self) -> frozenset[str]:
        """Lemmas a tag-only attribute-ruler pattern could give any word."""
        return self._anywhere


class RuleTriggers:
    """`possible(doc)`: False only when no rule can fire on the (merely tokenized) doc."""

    def __init__(self, nlp: Language, rules: Iterable[RuleSpec]) -> None:
        try:
            self._lemmas: PossibleLemmas | None = PossibleLemmas(nlp)
        except ValueError:
            self._lemmas = None
        self._patterns: list[tuple[tuple[_Requirement, ...], frozenset[str] | None]] = []
        self._passive_verbs: set[str] = set()
        self._always = False
        for rule in rules:
            near = frozenset(w.lower() for w in rule.require_near) if rule.require_near else None
            if rule.kind == "agentless_passive":
                self._passive_verbs.update(v.lower() for v in rule.verbs)
                continue
            for pattern in rule.patterns:
                needs = _requirements(pattern)
                if not needs and near is None:
                    self._always = True
                self._patterns.append((needs, near))
        # Patterns by a word (or lemma) their first requirement needs, so a sentence is checked
        # only against patterns it holds one such word of (most sentences: none).
        self._by_word: dict[str, list[int]] = {}
        self._by_lemma: dict[str, list[int]] = {}
        self._by_near: dict[str, list[int]] = {}
        for index, (needs, near) in enumerate(self._patterns):
            if needs:
                first = needs[0]
                table, values = (
                    (self._by_word, first.lower)
                    if first.lower is not None
                    else (self._by_lemma, first.lemma or frozenset())
                )
            else:
                table, values = self._by_near, near or frozenset()
            for value in values:
                table.setdefault(value, []).append(index)

    def possible(self, doc: Doc) -> bool:
        """Could any rule fire on `doc`? Reads only its tokens' text."""
        if self._always or self._lemmas is None:
            return True
        texts = {token.text for token in doc}  # one pass: spaCy builds a Token per step
        words = {text.lower() for text in texts}
        lemmas: set[str] = set(self._lemmas.anywhere)
        for text in texts:
            lemmas |= self._lemmas.of(text)
        folded = {lemma.lower() for lemma in lemmas} | words
        if not folded.isdisjoint(self._passive_verbs):
            return True
        candidates = {i for word in words for i in self._by_word.get(word, ())}
        candidates.update(i for lemma in lemmas for i in self._by_lemma.get(lemma, ()))
        candidates.update(i for word in folded for i in self._by_near.get(word, ()))
        return any(
            all(need.met(words, lemmas) for need in needs)
            and (near is None or not folded.isdisjoint(near))
            for needs, near in (self._patterns[i] for i in candidates)
        )

    def select(self, docs: Sequence[Doc]) -> list[bool]:
        return [self.possible(doc) for doc in docs]
