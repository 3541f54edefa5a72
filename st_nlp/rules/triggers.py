"""Which texts a blaming rule could fire on, read from the tokenizer alone.

Scoring independent sentences (`st-nlp classify`, `st-nlp evaluate`) spends most of its spaCy
time tagging and parsing sentences that no rule can match: a pattern needs every one of its
required words, and about four sentences in five lack one. `RuleTriggers` answers "could any
rule fire here?" from tokens only, so those sentences skip the parse. It must never say no
where a rule fires (a skipped sentence loses its findings), so every test is a superset of
the rule's own:

- a word's possible lemmas are all those spaCy's rule lemmatizer could give it under *any*
  part of speech (every exception and every suffix rule of its tables, unfiltered by the word
  index), the lemmas the attribute ruler sets on that word (and, for every word, those it sets
  on a token without a literal word), and the word itself as written and lowercased (also
  without a final period: "Ms." meets `require_near` as "ms", `engine.near_words`);
- a pattern is possible when each of its required tokens (no `OP`, or `+`) with literal
  `LOWER`/`LEMMA` values has one of them among the words / possible lemmas; a rule with
  `require_near` also needs one of those; `exclude_near` is ignored (it only removes hits);
- an agentless-passive rule is possible when one of its verbs is a possible lemma.

This holds when the rule lemmatizer and the attribute ruler are the only components that set
lemmas: with any component outside `KNOWN_COMPONENTS`, or without a rule lemmatizer, every
text is possible. `tests/test_rule_triggers.py` checks on the whole corpus that no sentence
with a finding is ever ruled out. The per-word memo is keyed by spaCy's string hash and holds
only the rule vocabulary's words, never the note's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

from st_nlp.rules.engine import literal_values, required_tokens, without_final_period
from st_nlp.rules.spec import RuleSpec

# Components known not to set lemmas, besides the lemmatizer and the attribute ruler read here.
KNOWN_COMPONENTS = frozenset(
    "tok2vec tagger parser senter ner attribute_ruler lemmatizer st_nlp_sentence_hints".split()
)
# Distinct words whose rule-relevant lemmas are memoized (about 0.2 KB each).
WORD_MEMO_SIZE = 50_000


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


def _requirements(pattern: list[dict[str, Any]]) -> tuple[_Requirement, ...]:
    found = []
    for token in required_tokens(pattern):
        lower = literal_values(token, "LOWER")
        lemma = literal_values(token, "LEMMA")
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
        unknown = set(nlp.pipe_names) - KNOWN_COMPONENTS
        if unknown:
            raise ValueError(f"components that may set lemmas: {sorted(unknown)}")
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
            raise ValueError("no rule lemmatizer in the pipeline")
        lookups = lemmatizer.lookups
        # Every part of speech's table (the tables are keyed by spaCy's string hashes).
        self._exceptions = list(lookups.get_table("lemma_exc", {}).values())
        self._rules = [
            (old, new)
            for rules in lookups.get_table("lemma_rules", {}).values()
            for old, new in rules
        ]
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
                    # The token the ruler sets attributes on (`index`, default the first).
                    token = pattern[entry.get("index", 0)]
                    words = {
                        value.lower()
                        for attribute in ("LOWER", "ORTH", "TEXT")
                        for value in literal_values(token, attribute) or ()
                    }
                    for word in words:
                        fixed.setdefault(word, set()).add(lemma)
                    if not words:  # a pattern without a literal word may give this lemma anywhere
                        anywhere.add(lemma)
        self._fixed = {word: frozenset(lemmas) for word, lemmas in fixed.items()}
        self._anywhere = frozenset(anywhere)

    def of(self, text: str) -> frozenset[str]:
        lower = text.lower()
        lemmas = {text, lower, without_final_period(lower)}
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
        passive_verbs: set[str] = set()
        self._always = False
        for rule in rules:
            near = frozenset(w.lower() for w in rule.require_near) if rule.require_near else None
            if rule.kind == "agentless_passive":
                passive_verbs.update(v.lower() for v in rule.verbs)
                continue
            for pattern in rule.patterns:
                needs = _requirements(pattern)
                if not needs and near is None:
                    self._always = True
                self._patterns.append((needs, near))
        self._passive_verbs = frozenset(passive_verbs)
        # The only lemmas a requirement compares with, and the only lowercased words and
        # lemmas the passive verbs and `require_near` do: each word's possible lemmas are cut
        # down to these once (`_relevant`), keyed by spaCy's hash of the word.
        self._requirement_lemmas = frozenset(
            value for needs, _ in self._patterns for need in needs for value in need.lemma or ()
        )
        self._folded_words = self._passive_verbs.union(
            *(near for _, near in self._patterns if near is not None)
        )
        self._memo: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._anywhere = self._relevant(self._lemmas.anywhere if self._lemmas else ())
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

    def _relevant(self, lemmas: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Of possible lemmas: those a requirement names, and the lowercased ones the passive
        verbs or a `require_near` list name."""
        lemmas = frozenset(lemmas)
        folded = {lemma.lower() for lemma in lemmas}
        return lemmas & self._requirement_lemmas, frozenset(folded & self._folded_words)

    def possible(self, doc: Doc) -> bool:
        """Could any rule fire on `doc`? Reads only its tokens' text."""
        if self._always or self._lemmas is None:
            return True
        possible_lemmas = self._lemmas
        lemmas, folded = set(self._anywhere[0]), set(self._anywhere[1])
        words: set[str] = set()
        memo = self._memo
        for token in doc:
            words.add(token.lower_)
            relevant = memo.get(token.orth)
            if relevant is None:
                relevant = self._relevant(possible_lemmas.of(token.text))
                if len(memo) >= WORD_MEMO_SIZE:
                    memo.clear()
                memo[token.orth] = relevant
            lemmas |= relevant[0]
            folded |= relevant[1]
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
