"""The built-in rewriter: drafts suggestions with the strategies, then checks each one.

Checks, applied at run time before a suggestion is returned:
- every name, date, time, number and quoted span of the original sentence is kept (a fact a
  draft could not place is listed in a final `[also from the original: ...]` prompt);
- no name, number or quote outside the [prompts] that the note (or caller context) lacks, and
  none from a retrieved example;
- the suggestion is not itself flagged as blaming language (rules on the whole text; the
  classifier on the suggestion's own words: prompts and the original's time expressions blanked);
- brackets are well formed and control characters (bidirectional overrides, zero-width) never
  appear in a suggestion.
Suggestions for one sentence differ in substance: drafts that differ only in punctuation, case or
which mention of a party they use ("Mother" / "Ms. Alvarez") are one suggestion.
Every flagged sentence gets 1-3 suggestions: when every draft fails a check, a prompt-only
suggestion (also checked) takes their place. Suggestions are deterministic: same note,
context, curated examples and model, same suggestions.

The nearest curated pair (`retrieval.ExampleIndex`) is shown with each suggestion as
`example` and, when the rules found no blaming words, its subtypes choose the strategy.
An optional LLM backend (`llm.ChatCompletionsBackend`, off by default) adds a first draft that
passes the same checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from st_nlp.corpus.rewrite_records import RewritePair, bracket_problem
from st_nlp.overlap import beside
from st_nlp.review_cache import CachedClassifier, MemoizedPipeline, parse_components, tagged
from st_nlp.rewrite.facts import (
    FUNCTION_WORDS,
    TIME_EXPRESSION,
    Facts,
    extract_facts,
    missing_facts,
    placeholders,
    possible_facts,
    whole_names,
)
from st_nlp.rewrite.llm import ChatCompletionsBackend
from st_nlp.rewrite.parties import PERSON_ROLES, Parties, find_parties
from st_nlp.rewrite.retrieval import ExampleIndex, Neighbor
from st_nlp.rewrite.strategies import (
    TEMPLATES,
    Draft,
    active_voice,
    behavior_prompts,
    clause_subject,
    fact_modifiers,
    owner_mention,
    phrase_of,
    pivot_to_perpetrator,
    prompt_only,
    shared_subject_insertions,
    survivor_subject,
)
from st_nlp.taxonomy import LABELS, Label

if TYPE_CHECKING:
    from st_nlp.reviewer import Reviewer, SentenceResult

MAX_SUGGESTIONS = 3
# Passives of care and agency work: with no finding to say otherwise, "Mother was seen at the
# ER" hides no one who hurt her ("[name of the person who did it] seen Mother at the ER").
CARE_VERBS = frozenset(
    "see treat examine interview transport admit discharge refer notify enroll schedule evaluate"
    " assess screen observe".split()
)
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
_PROMPT_EXPLANATION = re.compile(r":|, e\.g\.")
_CONTROL = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
SUBTYPE_ORDER = ("survivor_blame", "pathologizing", "mutualizing", "minimizing_excusing")
_MENTION_WORDS = PERSON_ROLES | frozenset(
    "fob bm mob moc foc he she him her his hers they them their ms. mr. mrs.".split()
)
_DOUBLED = [
    (re.compile(r"\s+([.,;:!?])"), r"\1"),  # "home ." -> "home."
    (re.compile(r"([.;:,])(?:\s*[.;:,])+"), r"\1"),  # ";." ".." ",;" -> first mark
]


# Nouns for what someone said: their owner, not the noun, is the party a rewrite names.
ACCOUNT_NOUNS = frozenset(
    "story stories account accounts version versions statement statements allegation"
    " allegations claim claims disclosure disclosures".split()
)


def tidy(text: str) -> str:
    """One space between words, no control characters, no doubled punctuation, a capital
    first letter and one final period."""
    text = " ".join(_CONTROL.sub("", text).split())
    for pattern, replacement in _DOUBLED:
        text = pattern.sub(replacement, text)
    text = text.rstrip(" ,;:")
    if text and not text.endswith((".", "!", "?")):
        text += "."
    return text[:1].upper() + text[1:]


def signature(text: str, aliases: tuple[str, ...] = ()) -> str:
    """What a suggestion says, for spotting near-duplicates: case, punctuation and which
    mention of a party it uses ("Mother", "Ms. Alvarez", "she") do not count."""
    lowered = text.lower()
    for alias in sorted({a.lower() for a in aliases if a}, key=len, reverse=True):
        lowered = lowered.replace(alias, " @ ")
    words = re.findall(r"[a-z0-9@'/]+|\[|\]", lowered)
    return " ".join(
        "@" if w in _MENTION_WORDS or w.removesuffix("'s") in _MENTION_WORDS else w for w in words
    )


def needs_suggestion(labels: list[str]) -> bool:
    """Blaming language, or a characterization of a party that is not a behavioral fact."""
    if Label.BLAMING_LANGUAGE in labels:
        return True
    vague = Label.PERPETRATOR_PATTERN in labels or Label.SURVIVOR_PROTECTIVE_ACTION in labels
    return vague and Label.BEHAVIORAL_FACT not in labels


def _clause_of(token: Token, sentence: Span) -> Span:
    """The coordinated clause of `sentence` that holds `token`.

    Clauses are cut at the conjunction ("and", "but", ";") before each coordinated verb. Token
    positions are used rather than subtrees because the small parser often attaches the second
    clause's subject to the first clause ("... relationship and mother failed to ...").
    """
    # A semicolon joins independent clauses whatever the parse says ("... a history of choosing
    # violent partners; her previous husband also had a DV arrest").
    cuts = [t.i for t in sentence if t.text == ";"]
    for verb in sentence:
        if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"}:
            continue
        if verb.head.pos_ not in {"VERB", "AUX"}:
            continue
        for i in range(verb.i - 1, verb.head.i, -1):
            candidate = sentence.doc[i]
            if candidate.dep_ == "cc" or candidate.text in {";", "but"}:
                cuts.append(i)
                break
    start, end = sentence.start, sentence.end
    for cut in sorted(cuts):
        if cut < token.i:
            start = cut + 1
        elif cut > token.i:
            end = cut
            break
    stop = end
    while end > start + 1 and sentence.doc[end - 1].is_punct:
        end -= 1  # the closing period or comma stays outside the clause
    return sentence.doc[start : _with_closers(sentence.doc, start, end, stop)]


def _with_closers(doc: Doc, start: int, end: int, stop: int) -> int:
    """The clause's end moved past the closing brackets and quotation marks among the
    punctuation `end..stop` whose openers are in the clause: a rewrite of "... with father
    (Rohan Mehta, 33)" or '... they "both got physical."' must not leave ")" or '."' behind."""
    text = doc[start:end].text
    parens = text.count("(") - text.count(")")
    quoted = text.count('"') % 2 == 1 or text.count("“") > text.count("”")
    for k in range(end, stop):
        mark = doc[k].text
        if mark == ")" and parens > 0:
            parens -= 1
            end = k + 1
        elif mark in {'"', "”"} and quoted:
            quoted = False
            end = k + 1
    return end


def _contains(text: str, fact: str) -> bool:
    """Whether `text` has `fact` as whole words, in any case: an example's "Grandmother" is
    the note's "grandmother" once a draft starts with it."""
    return re.search(rf"(?<!\w){re.escape(fact)}(?!\w)", text, re.IGNORECASE) is not None


def _render(fact: str, facts: Facts) -> str:
    """A fact as listed for the writer: quotes keep their quotation marks (they are someone's
    words, and the blaming rules skip quoted words)."""
    return f'"{fact}"' if fact in facts.quotes else fact


def _guess_subtypes(neighbors: list[Neighbor]) -> list[str]:
    """Subtypes of the nearest curated pairs, most frequent first (ties: nearest first)."""
    votes: dict[str, float] = {}
    for rank, neighbor in enumerate(neighbors):
        for subtype in neighbor.pair.subtypes:
            votes[str(subtype)] = votes.get(str(subtype), 0.0) + 1.0 / (rank + 1)
    return sorted(votes, key=lambda sub: -votes[sub])


class FactBasedRewriter:
    """Rewrites blaming language and vague characterizations without inventing facts."""

    def __init__(
        self,
        reviewer: Reviewer,
        examples: ExampleIndex | None = None,
        llm: ChatCompletionsBackend | None = None,
    ) -> None:
        self.reviewer = reviewer
        self.examples = examples
        self.llm = llm
        self._pair_facts: dict[str, tuple[str, ...]] = {}

    @property
    def cache_token(self) -> str | None:
        """Which drafts this rewriter makes, so that two reviewers sharing one note memo (a copy
        with another rewriter) never answer each other's notes. None with an LLM: its drafts
        come from outside and a timeout's fallback must not be remembered as the answer."""
        if self.llm is not None:
            return None
        return "built-in+examples" if self.examples is not None else "built-in"

    def prepare(self, sentences: Sequence[tuple[str, list[str]]]) -> None:
        """Find the curated examples nearest to every sentence that will need suggestions in
        one batch, where the examples are memoized (`MemoizedExamples.prefetch`)."""
        prefetch = getattr(self.examples, "prefetch", None)
        texts = [text for text, labels in sentences if needs_suggestion(labels)]
        if prefetch is not None and texts:
            prefetch(texts)

    def suggest_note(
        self, sentences: list[SentenceResult], doc: Doc, context: dict[str, Any] | None
    ) -> None:
        """Fill `suggestions` of each sentence that needs them (in place)."""
        needing = [sentence for sentence in sentences if needs_suggestion(sentence.labels)]
        if not needing:  # no sentence to rewrite: the parties and the note text are not needed
            return
        parties = find_parties(doc, context)
        known = " ".join([doc.text, parties.perpetrator or "", parties.survivor or ""])
        plans: list[tuple[SentenceResult, Span, list[Neighbor], list[Draft], Facts]] = []
        for sentence in needing:
            span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if span is None:
                continue
            neighbors = self.examples.nearest(sentence.text) if self.examples else []
            drafts = self._llm_drafts(sentence, doc, parties, neighbors)
            drafts += self._drafts(sentence, span, parties, neighbors)
            facts = extract_facts(span.as_doc(), relative_times=True)
            plans.append((sentence, span, neighbors, drafts, facts))
        aliases = (parties.perpetrator or "", parties.survivor or "")
        self._prefetch_checks(
            [
                (draft, facts, sentence.text)
                for sentence, _, _, drafts, facts in plans
                for draft in _first_tried(drafts)
            ],
            known,
            aliases,
        )
        for sentence, span, neighbors, drafts, facts in plans:
            accepted = self._checked(drafts, sentence, facts, known, neighbors, aliases=aliases)
            if not accepted and Label.BLAMING_LANGUAGE not in sentence.labels:
                label = (
                    Label.PERPETRATOR_PATTERN
                    if Label.PERPETRATOR_PATTERN in sentence.labels
                    else Label.SURVIVOR_PROTECTIVE_ACTION
                )
                plain = behavior_prompts(span, str(label), quote_claim=False)
                accepted = self._checked([plain], sentence, facts, known, neighbors)
            listed = [_render(fact, facts) for fact in whole_names(list(facts.all()), facts)]
            if not accepted:
                fallback = prompt_only(parties, listed)
                accepted = self._checked([fallback], sentence, facts, known, neighbors)
            if not accepted:  # the last resort asks only questions, keeping the facts
                bare = prompt_only(Parties(None, None), listed, "questions_only")
                accepted = self._checked([bare], sentence, facts, known, [], strict=False)
            if neighbors:
                example = {
                    "original": neighbors[0].pair.original,
                    "rewrite": neighbors[0].pair.rewrite,
                }
                for suggestion in accepted:
                    suggestion["example"] = example
            sentence.suggestions = accepted

    def _llm_drafts(
        self, sentence: SentenceResult, doc: Doc, parties: Parties, neighbors: list[Neighbor]
    ) -> list[Draft]:
        if self.llm is None:
            return []
        messages = self.llm.messages(
            sentence.text,
            doc.text,
            {"perpetrator": parties.perpetrator, "survivor": parties.survivor},
            sorted({f.subtype for f in sentence.findings}),
            [(n.pair.original, n.pair.rewrite) for n in neighbors],
        )
        text = self.llm.complete(messages)
        if text is None:
            return []
        return [
            Draft(
                text,
                "llm",
                "A rewrite drafted by the agency's language model and checked like the others.",
                "Pivot to the perpetrator; keep the facts; record the child's experience",
            )
        ]

    def _drafts(
        self,
        sentence: SentenceResult,
        span: Span,
        parties: Parties,
        neighbors: list[Neighbor] | None = None,
    ) -> list[Draft]:
        """Clause rewrites for the findings, then whole-sentence drafts for the subtypes."""
        drafts: list[Draft] = []
        clause_draft = self._clause_rewrites(sentence, span, parties)
        if clause_draft is not None:
            drafts.append(clause_draft)
        if Label.BLAMING_LANGUAGE in sentence.labels:
            subtypes = [f.subtype for f in sentence.findings] or _guess_subtypes(neighbors or [])
            if not sentence.findings and "agentless" in subtypes[:2]:
                drafts += self._passives(span, parties)
            subtype = next(iter(subtypes), "survivor_blame")
            if subtype == "agentless":
                whole = self._agentless_prompt(span, parties)
            else:
                whole = pivot_to_perpetrator(span, subtype, parties)
            # The whole-sentence template is a fallback when a clause draft exists: it drops
            # the sentence's other clauses.
            return [*drafts, replace(whole, fallback=bool(drafts))]
        label = (
            Label.PERPETRATOR_PATTERN
            if Label.PERPETRATOR_PATTERN in sentence.labels
            else Label.SURVIVOR_PROTECTIVE_ACTION
        )
        # One behavior prompt; the variant without the quoted claim is the fallback only (the
        # two say the same thing).
        return [*drafts, behavior_prompts(span, str(label))]

    @staticmethod
    def _agentless_prompt(span: Span, parties: Parties) -> Draft:
        """The whole sentence as "[actor] [what they did to the survivor, when]", keeping the
        sentence's time expressions and dated modifiers."""
        template, rationale, principle = TEMPLATES["agentless"]
        perp_in = parties.perpetrator or "the person who did it"
        text = template.format(
            perp=parties.actor(),
            perp_in=perp_in,
            surv_name=parties.survivor or "the survivor",
            mods=fact_modifiers(span, (parties.perpetrator or "", parties.survivor or "")),
        )
        return Draft(text, "active_voice", rationale, principle)

    @staticmethod
    def _passives(span: Span, parties: Parties) -> list[Draft]:
        """Active-voice drafts for passive verbs the rules did not flag."""
        for verb in span:
            if (
                verb.tag_ == "VBN"
                and any(c.dep_ == "auxpass" for c in verb.children)
                and verb.lemma_.lower() not in CARE_VERBS
            ):
                clause = _clause_of(verb, span)
                draft = active_voice(clause, verb, parties)
                if draft is not None:
                    return [
                        _splice(
                            span,
                            [
                                (clause.start_char, clause.end_char, draft),
                                *shared_subject_insertions(verb),
                            ],
                        )
                    ]
        return []

    def _clause_rewrites(
        self, sentence: SentenceResult, span: Span, parties: Parties
    ) -> Draft | None:
        """One draft that rewrites each finding's clause in place."""
        doc = span.doc
        replacements: list[tuple[int, int, Draft]] = []
        mentions = {parties.perpetrator, parties.survivor}  # the names the templates may hold
        insertions: list[tuple[int, int, Draft]] = []
        findings = sorted(
            sentence.findings,
            key=lambda f: SUBTYPE_ORDER.index(f.subtype) if f.subtype in SUBTYPE_ORDER else 9,
        )
        earlier: Parties | None = None  # the parties of the sentence's earlier clause
        for finding in findings:
            found = doc.char_span(finding.start, finding.end, alignment_mode="expand")
            if found is None:
                continue
            draft: Draft | None = None
            shared: list[tuple[int, int, Draft]] = []
            if finding.subtype == "agentless":
                verbs = [t for t in found if t.tag_ == "VBN"]
                if verbs:
                    clause = _clause_of(verbs[0], span)
                    draft = active_voice(clause, verbs[0], parties)
                    shared = shared_subject_insertions(verbs[0])
                elif not any(t.pos_ == "VERB" and t.lemma_ != "be" for t in found):
                    # A nominal one ("DV incident; ...", "There was a DV incident ... and Mother
                    # was seen"); not "sustained a cut", an injury the sentence keeps.
                    clause = _clause_of(found.root, span)
                    if clause.start > span.start or clause.end < span.end:
                        # The other clauses keep their words; a whole sentence is the
                        # fallback's.
                        draft = self._agentless_prompt(clause, parties)
            else:
                clause = _clause_of(found.root, span)
                clause_parties = self._parties_for(clause, finding.subtype, parties)
                if earlier is not None and (
                    clause_subject(clause) is None or clause_parties.survivor is None
                ):
                    # "Mrs. Mensah chose to stay ... and allowed him back", "Chloe has exposed
                    # the children ... and it is a volatile relationship": the survivor is the
                    # earlier clause's.
                    clause_parties = Parties(clause_parties.perpetrator, earlier.survivor)
                earlier = clause_parties
                mentions |= {clause_parties.perpetrator, clause_parties.survivor}
                draft = pivot_to_perpetrator(
                    clause, finding.subtype, clause_parties, finding.rule_id
                )
            if draft is None:
                continue
            start, end = clause.start_char, clause.end_char
            if any(start < e and s < end for s, e, _ in replacements):
                continue  # one rewrite per clause: the most blaming subtype decides
            twin = next(
                (r for r in replacements if _same_template(r[2], draft, mentions)),
                None,
            )
            if twin is not None:
                # "Ms. Nguyen chose to stay with him ... and continues to expose Khoa to DV":
                # both clauses got the same template, and the draft said it twice. One template
                # (the first clause's: its subject is named) takes the place of both and of the
                # words between them; the facts among those words are listed after it, as for
                # any template.
                start, end = min(start, twin[0]), max(end, twin[1])
                others = [r for r in replacements if r is not twin]
                if any(start < e and s < end for s, e, _ in others):
                    continue
                replacements = others
                draft = twin[2] if twin[0] < clause.start_char else draft
            replacements.append((start, end, draft))
            insertions += shared
        if not replacements:
            return None
        kept = [  # an insertion inside a clause rewritten as a whole goes with it
            insertion
            for insertion in insertions
            if not any(start <= insertion[0] < stop for start, stop, _ in replacements)
        ]
        return _splice(span, _without_repeated_parts(replacements) + kept)

    @staticmethod
    def _parties_for(clause: Span, subtype: str, parties: Parties) -> Parties:
        """For survivor blame and pathologizing, the clause's subject is the survivor, where it
        names a person."""
        if subtype not in {"survivor_blame", "pathologizing"}:
            return parties
        subjects = [c for c in clause.root.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
        if not subjects:
            return parties
        head = subjects[0]
        if head.lower_ in ACCOUNT_NOUNS or not survivor_subject(head):
            # "Katya's story changed several times", "BM's borderline traits contribute to
            # ...": the survivor is whose account or trait it is; without a person as its
            # owner ("Risk remains high"), the note's survivor.
            owner = owner_mention(head)
            return Parties(parties.perpetrator, owner) if owner else parties
        subject = phrase_of(head).text
        return Parties(parties.perpetrator, subject)

    def _checked(
        self,
        drafts: list[Draft],
        sentence: SentenceResult,
        facts: Facts,
        note_text: str,
        neighbors: list[Neighbor],
        strict: bool = True,
        aliases: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        """The drafts that pass every check and differ in substance, at most three, in order."""
        accepted: list[dict[str, Any]] = []
        seen: set[str] = {signature(sentence.text, aliases)}
        leaks = self._example_facts(neighbors, note_text)
        for draft in drafts:
            if draft.fallback and accepted:
                continue  # a fallback says less than the suggestion already accepted
            text = _candidate_text(draft, facts)
            if text is None:
                continue
            if signature(text, aliases) in seen:
                continue  # the same suggestion but for punctuation or a party's mention
            if any(_contains(text, fact) for fact in leaks):
                continue  # never a name, number or quote taken from an example
            if self._invented(text, note_text):
                continue  # a name, number or quote outside the [prompts] the note lacks
            if (
                strict
                and self._needs_check(draft, text, sentence.text, aliases)
                and self.still_blaming(text, blank_prompts=draft.strategy == "llm")
            ):
                continue
            if bracket_problem(text):
                continue
            seen.add(signature(text, aliases))
            accepted.append(
                {
                    "text": text,
                    "rationale": draft.rationale,
                    "principle": draft.principle,
                    "placeholders": placeholders(text),
                    "start": sentence.start,
                    "end": sentence.end,
                    "strategy": draft.strategy,
                }
            )
            if len(accepted) == MAX_SUGGESTIONS:
                break
        return accepted

    @staticmethod
    def _needs_check(draft: Draft, text: str, original: str, aliases: tuple[str, ...]) -> bool:
        """Whether `still_blaming` has anything to read in a suggestion. Ours need no check
        when they keep no word of the original but mentions of the parties and function
        words, in their own words or in their [prompts] ("[name of the person who did it]
        [specific behavior]; [impact on the children]; Mother [protective efforts]."): such a
        suggestion states nothing yet, so it cannot blame anyone. A prompt that quotes the
        original ("[specific behaviors that show Ms. Lewis recognizes the poor choices she
        made]") keeps its words and is checked. A model's drafts are always checked."""
        if draft.strategy == "llm":
            return True
        if not set(signature(_own_words(text), aliases).split()) <= {"@"}:
            return True
        kept = set(signature(text, aliases).split()) & set(signature(original, aliases).split())
        return bool(kept - FUNCTION_WORDS - {"@", "[", "]"})

    def _prefetch_checks(
        self,
        drafts: list[tuple[Draft, Facts, str]],
        known: str,
        aliases: tuple[str, ...] = (),
    ) -> None:
        """Do the costly part of `_checked` for several drafts at once, where the reviewer's
        caches keep the results: the classifier scores every draft that needs the check (its
        `scored_form`) in one call (its int8 runs go side by side on the cores, each sentence
        alone, so the scores are the same) while spaCy tags those `_invented` must tag (see
        `_may_invent`; `known` is the note's text) and parses those a rule could match, in
        one batch each. A cold note's flagged sentences used to have their drafts checked one
        by one, each waiting for the last. Without the caches (`cache_size=0`) nothing is
        kept, so nothing is done here."""
        view = self.reviewer
        nlp, classifier = view.nlp, view.classifier
        if not isinstance(nlp, MemoizedPipeline) or not isinstance(classifier, CachedClassifier):
            return
        written: dict[str, bool] = {}  # each suggestion's text: whether `still_blaming` reads it
        for draft, facts, original in drafts:
            text = _candidate_text(draft, facts)
            if text is not None and draft.strategy != "llm":
                written[text] = self._needs_check(draft, text, original, aliases)
        if not written:
            return
        headed = {text: scored_form(text) for text, check in written.items() if check}
        scored = list(dict.fromkeys(headed.values()))
        # Drafts scored before (an unchanged sentence of an edited note) were rule-checked then.
        unscored = classifier.cache.missing(scored)

        def tag_and_parse() -> None:
            lowered = known.lower()
            own_words = [_own_words(text) for text in written]
            nlp.prefetch([w for w in own_words if self._may_invent(w, lowered)], parse=False)
            nlp.prefetch(
                [text for text in unscored if view.triggers.possible(nlp.make_doc(text))],
                parse=True,
            )

        if not unscored:
            tag_and_parse()  # every score is kept: no graph to wait for, nothing to overlap
            return
        # spaCy works while this thread waits for the classifier's graphs (`st_nlp.overlap`).
        spacy_done = beside(tag_and_parse)
        classifier.predict_proba(scored)
        spacy_done.result()  # raises what spaCy raised

    def _invented(self, text: str, known: str) -> list[str]:
        """Names, numbers and quotes of `text`, outside its [prompts], that `known` lacks."""
        own_words = _own_words(text)
        lowered = known.lower()
        if not self._may_invent(own_words, lowered):
            return []
        facts = extract_facts(tagged(self.reviewer.nlp, own_words))
        return [f for f in facts.all() if f and f.lower() not in lowered]

    def _may_invent(self, own_words: str, lowered_known: str) -> bool:
        """Whether `_invented` must tag a suggestion's own words: only where some word that
        could be a name, number or quote (`possible_facts`, from the tokens alone) is not in
        the note. Most drafts are the note's own words and its parties' names, so an edit's
        drafts are rarely tagged (tagging one is a spaCy pass of about 3 ms)."""
        candidates = possible_facts(self.reviewer.nlp.make_doc(own_words))
        return any(f and f.lower() not in lowered_known for f in candidates)

    def _example_facts(self, neighbors: list[Neighbor], note_text: str) -> set[str]:
        """Names, numbers and quotes of the examples that the note does not contain."""
        known = self.identifying_facts([neighbor.pair for neighbor in neighbors])
        return {
            fact for facts in known for fact in facts if fact and not _contains(note_text, fact)
        }

    def identifying_facts(self, pairs: Sequence[RewritePair]) -> list[tuple[str, ...]]:
        """The names, numbers and quotes of each curated pair (original and rewrite), tagged
        once per process: the same few hundred examples come back for every note, and a
        document memo shared with note sentences would evict them."""
        missing = list({p.id: p for p in pairs if p.id not in self._pair_facts}.values())
        if missing:
            texts = [text for pair in missing for text in (pair.original, pair.rewrite)]
            nlp = self.reviewer.nlp
            docs = iter(nlp.pipe(texts, disable=parse_components(nlp)))
            for pair in missing:
                original, rewrite = next(docs), next(docs)
                self._pair_facts[pair.id] = (
                    *extract_facts(original).identifying(),
                    *extract_facts(rewrite).identifying(),
                )
        return [self._pair_facts[pair.id] for pair in pairs]

    def warm(self) -> None:
        """Do now what every process does once: embed the curated examples and extract their
        facts (about 3 s on 2 cores). A server calls this before it takes requests, so the
        first caseworkers do not wait for it."""
        if self.examples is not None:
            self.examples.nearest("warm-up")
            self.identifying_facts(self.examples.pairs)

    def still_blaming(self, text: str, blank_prompts: bool = False) -> bool:
        """Rules, then the classifier (and, as the reviewer decides, the span tagger) on the
        suggestion with each prompt cut to its head (`scored_form`).

        Cut, not whole: a prompt's explanation ("[specific behavior: what the person causing
        harm did, to whom, when]") is a third of a draft's words, and it diluted what the
        classifier read. "Mother's lack of follow-through on Luca's therapy ... are the main
        concern; household in chaos" passed while three long prompts surrounded it; cut to
        "[specific behavior]" and the like, it is withheld. The heads still say what the
        caseworker will write there, and the shorter text is quicker to parse and score
        while she types.

        Blanking the prompts (`blank_prompts`, used for a model's draft, whose prompts are not
        ours) leaves only the few words a template keeps from the original, which the
        classifier scores by lexical cues (with an earlier model, "Mr. Reed came back into the
        home [...]; [...]; Mother [...]." scored 0.33 against its 0.26 threshold), so our own
        drafts are not blanked. When blanking, relative time expressions ("again", "last
        week") are blanked too: they are facts every suggestion must keep.
        """
        reviewer = self.reviewer
        # A model's prompts are its own words, so the rules read them whole.
        ruled = text if blank_prompts else scored_form(text)
        # Parsed only when some rule could fire on its words (`RuleTriggers`): most drafts say
        # what the perpetrator did, and no rule matches them.
        if reviewer.triggers.possible(reviewer.nlp.make_doc(ruled)) and reviewer.rules.find(
            reviewer.nlp(ruled)
        ):
            return True
        blaming = LABELS.index(Label.BLAMING_LANGUAGE)
        scored = scored_form(text, blank_prompts)
        score = reviewer.classifier.predict_proba([scored])[0, blaming]
        if score < reviewer.thresholds[blaming]:
            return False
        if score >= reviewer.blaming_without_evidence:
            return True
        # Between the two, the reviewer itself flags a sentence only where the span tagger
        # finds blaming words in it; a suggestion is held to the same decision.
        return bool(reviewer.tagged_findings([scored])[0])


def scored_form(text: str, blank_prompts: bool = False) -> str:
    """What `still_blaming` gives the classifier for a suggestion: each [prompt] cut to its
    head, before a colon or an ", e.g." ("[the specific act, e.g. pushed ...]" is
    "[the specific act]"); with `blank_prompts`, every prompt and relative time expression
    blanked instead."""
    if blank_prompts:
        # Tidied before blanking: tidying after would fold each "[...]" to "[.]".
        return _PLACEHOLDER.sub("[...]", tidy(TIME_EXPRESSION.sub(" ", text)))
    return _PLACEHOLDER.sub(_prompt_head, text)


def _prompt_head(prompt: re.Match[str]) -> str:
    return "[" + _PROMPT_EXPLANATION.split(prompt.group(0)[1:-1], maxsplit=1)[0].strip() + "]"


def _own_words(text: str) -> str:
    """A suggestion without its [prompts]: the words it states as facts (`_invented` reads)."""
    return _PLACEHOLDER.sub(" ", text)


def _candidate_text(draft: Draft, facts: Facts) -> str | None:
    """The suggestion `_checked` would check for `draft`: tidied, with the facts it lost listed
    in a final prompt; None when the draft is empty or its brackets are broken."""
    text = tidy(draft.text)
    if not text or bracket_problem(text):
        return None
    lost = whole_names(missing_facts(facts, text), facts)
    if lost:
        listed = "; ".join(_render(fact, facts) for fact in lost)
        text = text.rstrip(".") + f" [also from the original: {listed}]."
    return text


def _first_tried(drafts: list[Draft]) -> list[Draft]:
    """The drafts `_checked` is likely to check: all but the fallbacks, which it tries only
    when nothing else passed (the first draft when every one is a fallback)."""
    return [draft for draft in drafts if not draft.fallback] or drafts[:1]


def _same_template(first: Draft, second: Draft, mentions: set[str | None]) -> bool:
    """Whether two clause drafts are one template asking the same thing: the same text once
    each [prompt] and each party's name count alike ("Ms. Lan Nguyen [protective efforts ...]"
    and "[the adult survivor] [protective efforts ...]"). Their other words differ where they
    ask about other people ("Soren (10) [what each child saw ...]", "the children [what each
    child saw ...]"). An active-voice draft is the clause's own words, never a template."""
    if "active_voice" in (first.strategy, second.strategy):
        return False

    def skeleton(text: str) -> str:
        for name in sorted(filter(None, mentions), key=len, reverse=True):
            text = text.replace(name, "[]")
        return _PLACEHOLDER.sub("[]", text).lower()

    return first.rationale == second.rationale and skeleton(first.text) == skeleton(second.text)


def _without_repeated_parts(
    replacements: list[tuple[int, int, Draft]],
) -> list[tuple[int, int, Draft]]:
    """Clause templates without the parts ("; "-separated) an earlier clause's template already
    asks: "Mrs. Mensah chose to stay ... and allowed Mr. Mensah back into the home" asked
    "[impact on the children ...]; Mrs. Mensah [protective efforts ...]" twice, once after each
    clause. A template all of whose parts were asked keeps its first."""
    asked: set[str] = set()
    written = []
    for start, end, draft in sorted(replacements, key=lambda r: r[0]):
        parts = draft.text.split("; ")
        kept = [part for part in parts if part not in asked] or parts[:1]
        asked.update(parts)
        written.append((start, end, replace(draft, text="; ".join(kept))))
    return written


def _splice(span: Span, replacements: list[tuple[int, int, Draft]]) -> Draft:
    """The sentence with each clause replaced by its draft (a zero-width replacement inserts
    its text), as one sentence-cased draft."""
    text = span.text
    for start, end, draft in sorted(replacements, key=lambda r: r[0], reverse=True):
        text = text[: start - span.start_char] + draft.text + text[end - span.start_char :]
    clauses = [r for r in replacements if r[1] > r[0]]  # not the insertions
    first = min(clauses, key=lambda r: r[0])[2]
    strategies = "+".join(dict.fromkeys(d.strategy for _, _, d in clauses))
    text = text[:1].upper() + text[1:]
    if not text.rstrip().endswith((".", "!", "?")):
        text = text.rstrip() + "."
    return Draft(text, strategies, first.rationale, first.principle)
