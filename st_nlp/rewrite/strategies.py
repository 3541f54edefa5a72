"""Rewrite strategies, one per kind of problem, all built from the sentence's own parse.

Every strategy returns text in which anything the note does not say is a `[bracketed prompt]`.
They follow the Safe & Together practice of pivoting to the perpetrator: name who did what to
whom, the impact on the children, and the survivor's protective efforts. Each draft names the
strategy that made it (the issue's subtype list):

- `active_voice` (agentless): "Mother was assaulted on 3/9" -> "Mr. Reed assaulted Mother on 3/9
  [what he did ...]"; a passive with an agent ("by FOB") takes the agent as the actor.
- `pivot_to_perpetrator` (survivor blame): the perpetrator's behavior, the children's
  experience, the survivor's protective efforts; "she allowed him back into the home" keeps its
  content as "Mr. Reed came back into the home [how he got in ...]".
- `one_actor` (mutualizing), `concrete_behavior` (minimizing/excusing), `survivor_words`
  (pathologizing): the clause that carries the finding is replaced by the subtype's template,
  keeping its subject, its time expressions, dated and named modifiers and every other clause.
- `behavior_prompts` (vague characterizations): keeps the subject and asks for the specific
  behaviors that support the characterization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemminflect import getInflection, getLemma
from spacy.tokens import Span, Token

from st_nlp.rewrite.facts import TIME_EXPRESSION
from st_nlp.rewrite.parties import (
    CHILD_WORDS,
    OTHER_PEOPLE,
    PERSON_ROLES,
    PROFESSIONS,
    PRONOUNS,
    SURVIVOR_NOUNS,
    TITLES,
    Parties,
    proper_name,
)
from st_nlp.rules.engine import PERSONAL_PRONOUNS
from st_nlp.segment import BULLET_SYMBOLS
from st_nlp.spans.actor import is_violence_verb

SUBJECT_PRONOUN_OBJECT = {"he": "him", "she": "her", "they": "them", "i": "me", "we": "us"}
STRATEGY_OF_SUBTYPE = {
    "survivor_blame": "pivot_to_perpetrator",
    "mutualizing": "one_actor",
    "minimizing_excusing": "concrete_behavior",
    "pathologizing": "survivor_words",
    "agentless": "active_voice",
}
_FEMALE = frozenset(
    "ms. mrs. miss mother mom mommy bm mob moc wife girlfriend gf grandmother mgm pgm aunt"
    " stepmother sister daughter she her".split()
)
_MALE = frozenset(
    "mr. father dad daddy fob foc husband boyfriend grandfather mgf pgf uncle stepfather brother"
    " son he him".split()
)
_POSSESSIVES = frozenset({"her", "his", "their", "my", "our", "your"})
# "allowed him back into the home": the perpetrator's own act, in the past tense.
_LET_LEMMAS = frozenset({"allow", "let", "permit"})
_MOVES = {
    "stay": "stayed",
    "live": "lived",
    "return": "returned",
    "move": "moved",
    "visit": "visited",
    "come": "came",
    "sleep": "slept",
    "spend": "spent",
}
_PLACES = frozenset(
    "home house apartment residence room bedroom kitchen car vehicle truck shelter school daycare"
    " store park yard hospital motel hotel driveway porch".split()
)


# A list's marker that the parse can hang on a sentence's subject: "- Mother", "d. Minh's
# behavior", "(a) Mother". Lowercase letters only: "J. Smith" is an initial.
_LIST_MARKER = re.compile(  # not "2 officers"
    rf"^(?:[{re.escape(BULLET_SYMBOLS)}]|[a-z][.)]|\d{{1,2}}[.)])$"
)
_ITEM_LABEL = re.compile(r"^(?:[a-zA-Z]|\d{1,2})$")


def _first_word(token: Token) -> int:
    """Where `token`'s phrase starts once a list marker before it is left out ("- ", "d.",
    "3.", "(a)"): a rewrite that moves a phrase must not carry the marker into the middle of a
    sentence."""
    doc = token.doc
    start = token.left_edge.i
    while start < token.i:
        if _LIST_MARKER.match(doc[start].text) or doc[start].dep_ == "meta":
            start += 1
        elif doc[start].text in {".", ")"} and start and _ITEM_LABEL.match(doc[start - 1].text):
            start += 1  # "3" "." split by the tokenizer: the marker's own point
        elif (  # "(a)", "(2)"
            doc[start].text == "("
            and start + 2 < token.i
            and doc[start + 2].text == ")"
            and _ITEM_LABEL.match(doc[start + 1].text)
        ):
            start += 3
        else:
            break
    return start


def past_tense(verb: Token) -> str:
    """The simple past of a passive's participle, for the active sentence: "was shaken" ->
    "shook", "was seen" -> "saw", "got pushed" -> "pushed", "WAS STRUCK" -> "STRUCK"
    (lemminflect's tables; the participle itself where they have none or list it as a past)."""
    # lemminflect's own lemma of the participle: spaCy's small model gives "rap" for "raped".
    lemmas = getLemma(verb.lower_, upos="VERB")
    forms = getInflection(lemmas[0], tag="VBD") if lemmas else ()
    if not forms or verb.lower_ in forms:  # "pushed", "hit", "spit" (not "spat"): as written
        return verb.text
    past = str(forms[0])
    return past.upper() if verb.text.isupper() else past


def phrase_of(token: Token) -> Span:
    """The words of `token`'s phrase (its subtree), without a list marker before them."""
    return token.doc[_first_word(token) : token.right_edge.i + 1]


def mention_of(token: Token) -> Span:
    """The words that name the person `token` heads, up to it ("her boyfriend", "Mr. Tom
    Ashby" but not "who lives there"), without a list marker before them."""
    return token.doc[_first_word(token) : token.i + 1]


@dataclass(frozen=True)
class Draft:
    text: str
    strategy: str
    rationale: str
    principle: str
    # Offered only when no draft before it passed the checks.
    fallback: bool = False


def _object_form(span_text: str) -> str:
    return PRONOUNS.get(span_text.lower(), span_text)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def mid_sentence(text: str) -> str:
    """`text` moved into the middle of a sentence: "The child" -> "the child", "On 2/8" -> "on
    2/8"; a word in capitals stays as written ("IN KITCHEN" had become "iN KITCHEN"), as does
    "I"."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first == "I" or (len(first) > 1 and first.isupper()):
        return text
    return text[:1].lower() + text[1:]


def pronouns(mention: str | None) -> tuple[str, str] | None:
    """(subject, possessive) pronouns for a mention whose gender the mention itself states
    ("Ms. Alvarez", "Mother", "FOB"); None when it does not (a bare first name, "the parent")."""
    if not mention:
        return None
    words = mention.lower().split()
    if len(words) > 1 and words[0] in _POSSESSIVES:
        # "her partner" says whose partner, not the partner's gender; "her husband" does.
        words = words[1:]
    if words and words[0] in _FEMALE:
        return "she", "her"
    if words and words[0] in _MALE:
        return "he", "his"
    return None


def refer(mention: str | None, fallback: str) -> tuple[str, str]:
    """How a prompt refers to a party already named just before it: (subject, possessive)."""
    known = pronouns(mention)
    if known:
        return known
    name = mention or fallback
    return name, f"{name}'" if name.endswith("s") else f"{name}'s"


# Common nouns that name a person, beside the roles, relatives and professionals of `parties`.
_PERSON_NOUNS = frozenset(
    {"perpetrator", "man", "woman", "son", "daughter", "ex", "person", "stranger", "suspect"}
)
_PEOPLE_NOUNS = PERSON_ROLES | OTHER_PEOPLE | CHILD_WORDS | _PERSON_NOUNS


def _someone(token: Token) -> bool:
    """Whether a passive's agent names a person ("by FOB", "by him", "by her partner"); a
    pronoun only where it is personal ("by it", "by this" name no one)."""
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return token.pos_ == "PROPN" or token.lower_ in _PEOPLE_NOUNS


def _same_person(first: str, second: str) -> bool:
    """Whether two mentions name one person: the words of one, titles aside, are among the
    other's ("Mr. Lemaire", "Mr. Hugo Lemaire"; not "Mother's boyfriend" and "Mother")."""
    words = [{w.lower() for w in text.split() if w not in TITLES} for text in (first, second)]
    return bool(words[0]) and bool(words[1]) and (words[0] <= words[1] or words[1] <= words[0])


def active_voice(clause: Span, verb: Token, parties: Parties) -> Draft | None:
    """The clause of a passive of violence, in the active voice with the actor.

    The actor is the passive's agent ("by FOB") when it has one, else the note's perpetrator,
    else a prompt. A prompt for what exactly happened follows: "assaulted" is itself a label.
    """
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    aux = [c for c in verb.children if c.dep_ == "auxpass"]
    if not subjects or not aux:
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "Kids were not involved" says nothing was done: no "X involved kids"
    doc = clause.doc
    subject = phrase_of(subjects[0])
    agents = [c for c in verb.children if c.dep_ == "agent"]
    if agents and not all(_someone(c) for c in agents[0].children if c.dep_ == "pobj"):
        # "Her account is colored by her own trauma": the agent is no person, and the active
        # voice would keep the claim ("Her own trauma colored her account").
        return None
    agent_span = doc[agents[0].left_edge.i : agents[0].right_edge.i + 1] if agents else None
    actor = parties.actor()
    if agent_span is not None and len(agent_span) > 1:
        actor = agent_span[1:].text
        if actor.lower() in SUBJECT_PRONOUN_OBJECT.values():
            actor = {v: k for k, v in SUBJECT_PRONOUN_OBJECT.items()}[actor.lower()].capitalize()
    if _same_person(subject.text, actor):
        # "Mr. Lemaire was intoxicated when he broke BM's jaw": the passive's subject is the
        # actor himself, so there is no hidden actor to name ("Mr. Lemaire intoxicated Mr.
        # Lemaire").
        return None
    before = doc[clause.start : subject.start].text_with_ws if subject.start > clause.start else ""
    patient = _object_form(subject.text)
    if patient == subject.text and (
        subject[0].lower_ in {"the", "a", "an", "her", "his", "their"}
        or (subject[0].lower_ in CHILD_WORDS and subject[0].pos_ != "PROPN")
    ):
        patient = mid_sentence(patient)  # "The child", "Children" mid-sentence
    middle = doc[subject.end : min(a.i for a in aux)].text.strip(" ,")
    # A stranded preposition stays with the verb: "dad was spit on by X" is "X spit on dad",
    # not "X spit dad on". A particle follows a short patient, as English must after a
    # pronoun ("she was beaten up": "X beat her up", not "X beat up her"), and goes with the
    # verb before a long one ("X knocked out Ms. Vang's two front teeth"). A "particle" with
    # its own object is a preposition and stays where it is: "X threw Mom down the stairs".
    ends = [
        t for t in verb.children if t.i > verb.i and t.dep_ in {"prep", "prt"} and t.n_rights == 0
    ]
    short_patient = len(patient.split()) <= SHORT_PATIENT_WORDS
    particles = [t for t in ends if t.dep_ == "prt" and t.lower_ not in _STRANDED and short_patient]
    stranded = [t for t in ends if t not in particles]
    after = "".join(
        t.text_with_ws
        for t in doc[verb.i + 1 : clause.end]
        if not (t.dep_ in {"auxpass", "aux", "neg"} and t.head == verb)
        and not (agent_span is not None and agent_span.start <= t.i < agent_span.end)
        and t not in ends  # each placed beside the verb or the patient below
    ).rstrip()
    past = " ".join([past_tense(verb), *(t.text for t in stranded)])
    text = " ".join([f"{before}{actor} {past} {patient}", *(t.text for t in particles)])
    if middle:
        text += f" ({middle})"
    if after:
        text += after if after[0] in ".,;:!?" else " " + after
    text = text.rstrip(" .,;:")
    who = refer(actor if not actor.startswith("[") else None, "the person who did it")[0]
    text += f" [what exactly {who} did and said, any injuries, where the children were]"
    return Draft(
        text=text,
        strategy="active_voice",
        rationale=(
            "Names who used the violence: the passive voice with no actor hides the perpetrator."
        ),
        principle="Perpetrator pattern-based practice: make the perpetrator's behavior visible",
    )


# Prepositions a verb of violence strands in the passive ("was spit on", "was yelled at").
_STRANDED = frozenset({"on", "at", "upon", "onto"})
# Words of a patient after which a particle still reads naturally ("held Ms. Hasegawa down").
SHORT_PATIENT_WORDS = 3


def shared_subject_insertions(verb: Token) -> list[tuple[int, int, Draft]]:
    """Where the passive's subject must be written out once `verb` is in the active voice:
    before each coordinated active verb that shares it ("Jayden was shoved off the couch and
    hit his head" becomes "X shoved Jayden off the couch and Jayden hit his head", not "... and
    hit his head", which reads as X's act). Zero-width replacements (offset, offset, the
    subject) for the rewriter's splice; a coordinated passive ("was brought in and held near
    her throat") still reads right.

    A coordinated verb of violence or control with no object of its own is a passive whose
    auxiliary is left out, even where the parser calls it active ("Ms. Diaz was pushed against
    the wall and choked until she passed out"): the subject goes after it, as its object ("...
    and choked Ms. Diaz until ..."), never before it ("and Ms. Diaz choked"), which would make
    the survivor the one who choked."""
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not subjects:
        return []
    words = phrase_of(subjects[0])
    subject = words.text
    if subject[:1].isupper() and words[0].pos_ in {"DET", "PRON"}:
        subject = mid_sentence(subject)  # "The child", "She" mid-sentence
    verbs = [
        conj
        for conj in verb.children
        if conj.dep_ == "conj"
        and conj.pos_ in {"VERB", "AUX"}
        and conj.tag_ != "VBN"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in conj.children)
    ]
    insertions: list[tuple[int, int, Draft]] = []
    for conj in verbs:
        if is_violence_verb(conj) and not any(c.dep_ == "dobj" for c in conj.children):
            # After a particle or a stranded preposition that goes with the verb ("spit on
            # Ms. Diaz"), not after one that starts a phrase ("kicked while on the floor").
            last = next(
                (
                    c
                    for c in conj.rights
                    if c.i == conj.i + 1
                    and (c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in _STRANDED))
                    and c.n_rights == 0
                ),
                conj,
            )
            patient = _object_form(subject)
            if last.dep_ == "prt" and patient.lower() in PRONOUNS.values():
                last = conj  # a pronoun goes before the particle: "knocked her down"
            at = last.idx + len(last.text)
            insertions.append((at, at, Draft(" " + patient, "active_voice", "", "")))
        else:
            # Before the verb's own auxiliaries and adverbs: "and Jayden could not walk".
            at = next((c for c in conj.lefts if c.dep_ in {"aux", "neg", "advmod"}), conj).idx
            insertions.append((at, at, Draft(subject + " ", "active_voice", "", "")))
    return insertions


TEMPLATES: dict[str, tuple[str, str, str]] = {
    # `{perp}`/`{surv}` are the parties as written (a name or a bracketed prompt); inside a
    # bracket the template uses `{perp_in}`/`{surv_in}`, plain words, so prompts never nest.
    "survivor_blame": (
        "{act}{mods}; [impact on the"
        " children: what they saw, heard or said]; {surv} [protective efforts: what {surv_in}"
        " did to keep the children safe]",
        "Holds the perpetrator responsible for the violence and documents the survivor's"
        " protective efforts instead of blaming the survivor.",
        "Critical components 1 and 3: the perpetrator's pattern and the survivor's protective"
        " efforts",
    ),
    "mutualizing": (
        "{perp} [specific behavior toward {surv_name}: what {perp_in} did or said, when,"
        " where]{mods}; {surv} [what {surv_in} did to stay safe or keep the children safe]",
        "Names one actor and the specific behaviors; 'relationship' and 'conflict' language"
        " presents one person's violence as mutual.",
        "Perpetrator pattern-based practice: behavior, not the relationship",
    ),
    "minimizing_excusing": (
        "{perp} [the specific act, e.g. pushed, hit or choked {surv_name}]{mods}; [what the"
        " children saw, heard or said, and any changes in sleep, school or behavior]",
        "States the concrete behavior and the children's actual experience instead of softening"
        " or excusing it.",
        "Critical components 1 and 4: the perpetrator's behavior and its impact on the child",
    ),
    "pathologizing": (
        "{subj} said [{subj_pos} own words about what happened]{mods}; {perp} [behaviors that"
        " shape {subj_pos} response, e.g. threats, monitoring, control of money]",
        "Records what the survivor said and did, in their words, and what the perpetrator did"
        " that shapes it, instead of a label about the survivor.",
        "Pivot to the perpetrator; survivor strengths-based practice",
    ),
    "agentless": (
        "{perp} [what {perp_in} did to {surv_name}, when]{mods}",
        "Names who used the violence: the passive voice with no actor hides the perpetrator.",
        "Perpetrator pattern-based practice: make the perpetrator's behavior visible",
    ),
}


# Rules whose wording the subtype's template does not fit: (template, rationale, principle,
# strategy).
RULE_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "MI-CHILD-UNHARMED": (
        "{subj} [what each child saw, heard or said about it, and any changes in sleep, school"
        " or behavior]{mods}",
        "Records the children's actual experience: children are harmed when they see, hear or"
        " live with violence at home.",
        "Critical component 4: adverse impact of the perpetrator's behavior on the child",
        "child_experience",
    ),
    # "Her story changed several times": the subject is the account, not a person who speaks.
    "PA-DOUBTED-ACCOUNT": (
        "{surv} told [whom and when: what {surv_in} said each time, in {surv_pos} own"
        " words]{mods}; {perp} [what {perp_in} did that shapes what {surv_in} can safely say,"
        " e.g. threats, monitoring, pressure to take it back]",
        "Records what the survivor said, to whom and when, and what the perpetrator did that"
        " shapes it, instead of a verdict on the survivor's credibility.",
        "Pivot to the perpetrator; survivor strengths-based practice",
        "survivor_words",
    ),
}


def _carries_fact(sub: Span) -> bool:
    """A modifier worth keeping: a number, date, name, time expression or place."""
    if any(t.like_num or t.pos_ == "PROPN" or any(c.isdigit() for c in t.text) for t in sub):
        return True
    if TIME_EXPRESSION.search(sub.text):
        return True
    return sub[0].pos_ == "ADP" and any(t.lemma_.lower() in _PLACES for t in sub[1:])


# Dependencies that open a clause inside a modifier: "by [remaining in the home]", "into how
# the fighting [is affecting] Jaden".
_CLAUSES = frozenset({"pcomp", "relcl", "advcl", "ccomp", "acl", "xcomp"})


def fact_modifiers(
    clause: Span, skip: tuple[str, ...] = (), exclude: frozenset[int] = frozenset()
) -> str:
    """Modifiers of the clause's verb that carry facts: "on 3/9", "again", "last week",
    "at the home".

    A modifier that names one of `skip` (the parties the template already names), overlaps the
    token positions in `exclude` (already placed by the strategy), holds a clause of its own
    (its words would carry the original's claim into the template) or whose brackets do not
    balance is left out; its facts are then listed by the rewriter's check.
    """
    root = clause.root
    kept = []
    for child in root.children:
        if child.dep_ not in {"prep", "npadvmod", "tmod", "advmod"}:
            continue
        sub = clause.doc[child.left_edge.i : child.right_edge.i + 1]
        if not _carries_fact(sub) or any(t.i in exclude for t in sub):
            continue
        if sub[0].pos_ == "VERB" or any(t.dep_ in _CLAUSES for t in sub):
            continue  # a clause ("into how the fighting is affecting Jaden"), not a fact's phrase
        if child.dep_ == "advmod" and not TIME_EXPRESSION.fullmatch(sub.text):
            continue  # "back", "really": only time adverbs ("again", "yesterday") are facts
        text = sub.text
        if text.count("(") != text.count(")") or any(s and s in text for s in skip):
            continue
        if sub[0].pos_ in {"ADP", "ADV"} or sub[0].lower_ in {"last", "this", "next", "that"}:
            text = mid_sentence(text)  # "On 2/8" moves mid-sentence
        kept.append(text)
    return "".join(f" {text}" for text in kept)


def _person(token: Token) -> bool:
    """A subject or object that names a person ("Father", "FOB", "Mr. Reed"), not a pronoun."""
    if token.lower_ in CHILD_WORDS:
        return False
    return proper_name(token) or token.lower_ in PERSON_ROLES


def survivor_subject(token: Token) -> bool:
    """A clause subject that can stand for the survivor in a template ("Mother said [...]"),
    not an abstraction ("BM's long history of depression", "Risk remains high") or a
    professional."""
    if token.lower_ in PROFESSIONS or any(
        c.lower_ in PROFESSIONS for c in token.children if c.dep_ in {"compound", "appos"}
    ):
        return False  # "Advocate said [Advocate's own words ...]", "Dr. Feldstein [...]"
    return _person(token) or token.lower_ in SURVIVOR_NOUNS


def owner_mention(head: Token) -> str | None:
    """The person whose trait, account or behavior `head` is ("BM's borderline traits" ->
    "BM", "Ms. Soo-ah Kim's decision" -> "Ms. Soo-ah Kim"); None when no person owns it."""
    owner = next(
        (c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON" and survivor_subject(c)),
        None,
    )
    if owner is None:
        return None
    doc, start = owner.doc, owner.i
    # The name's earlier words, which the small parser often hangs on the head instead: proper
    # nouns and the parts of a hyphenated name, up to a title.
    while start > 0 and doc[start].text not in TITLES:
        previous = doc[start - 1]
        hyphenated = previous.text == "-" or (
            start > 1 and doc[start - 2].text == "-" and not doc[start - 2].whitespace_
        )
        marker = _LIST_MARKER.match(previous.text) and previous.whitespace_  # not "Soo-ah"
        if marker or (previous.pos_ != "PROPN" and not hyphenated):
            break  # "d. Minh's behavior": "d." marks the list item
        start -= 1
    return doc[start : owner.i + 1].text


_CHARACTERIZED_WORDS = CHILD_WORDS | OTHER_PEOPLE | SURVIVOR_NOUNS | {"he", "she", "they"}


def _characterized_person(token: Token) -> bool:
    """A subject whose behavior a characterization is about: anyone, professionals and
    children included ("Advocate is very supportive"), but not "Concerns" or "Next steps"."""
    return _person(token) or token.lower_ in _CHARACTERIZED_WORDS


def let_in_act(clause: Span, parties: Parties) -> tuple[str, frozenset[int]] | None:
    """ "(she) allowed him back into the home" as the perpetrator's own act, with the tokens used.

    "allowing him back into the home" -> "Mr. Reed came back into the home [how he got in, what
    he said and did]"; "let FOB stay at the apartment" -> "FOB stayed at the apartment [...]".
    Returns None when the clause has no such verb or its object is not a person.
    """
    doc = clause.doc
    for verb in clause:
        if verb.lemma_.lower() not in _LET_LEMMAS:
            continue
        move = next(
            (c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.lemma_ in _MOVES),
            None,
        )
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if move is not None and not objects:
            objects = [c for c in move.children if c.dep_ == "nsubj"]
        if not objects:
            continue
        obj = objects[0]
        if obj.pos_ == "PRON":
            if obj.lower_ not in {"him", "her", "them"}:
                continue
            actor = parties.actor()
        elif _person(obj):
            actor = mention_of(obj).text
        else:
            continue
        head, past = (move, _MOVES[move.lemma_]) if move is not None else (verb, "came")
        parts = [
            c
            for c in head.children
            if c.i > obj.i
            and c.dep_ in {"advmod", "prt", "prep", "npadvmod"}
            and (c.lower_ in {"back", "home", "over", "inside", "in"} or c.dep_ != "advmod")
        ]
        comes_in = any(c.lower_ in {"back", "in", "inside", "over"} for c in parts) or any(
            c.dep_ == "prep" and c.lower_ in {"into", "to", "inside"} for c in parts
        )
        if move is None and not comes_in:
            continue  # "allowed him to drive": not a coming in
        used = {obj.i, verb.i, head.i}
        pieces = []
        for part in parts:
            sub = doc[part.left_edge.i : part.right_edge.i + 1]
            if sub.text.count("(") != sub.text.count(")"):
                continue
            pieces.append(sub.text)
            used.update(t.i for t in sub)
        he = refer(actor if not actor.startswith("[") else None, "the person who did it")[0]
        prompt = (
            f"[how {he} got in, what {he} said and did]"
            if past == "came"
            else (f"[what {he} said and did there, when]")
        )
        text = " ".join([actor, past, *pieces, prompt])
        return text, frozenset(used)
    return None


# The survivor is blamed for not keeping the children safe from someone, or for exposing them
# to someone: that someone is who the rewrite asks about ("keep the children safe from her
# boyfriend", "protect Kayla from Mr. Ashby", "exposed to domestic violence by their stepfather").
_SAFE_FROM = frozenset({"protect", "shield", "keep", "safe", "guard", "away", "secure", "shelter"})


def harm_source(clause: Span) -> str | None:
    """The person the clause says the children are to be kept safe from, or were exposed to
    harm by, as the clause words it ("her boyfriend", "Mr. Tom Ashby"); None if it names none
    (a pronoun, "the violence")."""
    for token in clause:
        if token.dep_ != "pobj" or not _person(token):
            continue
        mention = mention_of(token)
        if any(word.lower_ in PROFESSIONS for word in mention):
            continue  # "from CW Ebony Strickland": a professional is no party
        prep = token.head
        governor = prep.head
        if governor.pos_ in {"NOUN", "PROPN"} and governor.dep_ == "dobj":
            governor = governor.head  # "protect Kayla from him": the parse hangs it on Kayla
        if (prep.lower_ == "from" and governor.lemma_.lower() in _SAFE_FROM) or (
            prep.dep_ == "agent" and governor.lemma_.lower() == "expose"
        ):
            return mention.text
    return None


def reported_subject(clause: Span) -> Token | None:
    """The person a clause reports on when its own subject is no party: "The Department
    asserts / is concerned that the mother failed to protect", "It is the undersigned's
    opinion that Ms. Whitfield minimizes ..." -> "mother", "Whitfield"."""
    root = clause.root
    for token in clause:
        complement = token.dep_ == "ccomp" or (
            token.dep_ == "acl"
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
        )
        if not complement or root not in (token.head, token.head.head):
            continue
        subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        # A pronoun names no one the template could ask ("... -- she is 78").
        if subjects and subjects[0].pos_ != "PRON" and survivor_subject(subjects[0]):
            return subjects[0]
    return None


def clause_subject(clause: Span) -> Token | None:
    """The subject of the clause's root, if it has one."""
    subjects = [c for c in clause.root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subjects[0] if subjects else None


def pivot_to_perpetrator(
    clause: Span, subtype: str, parties: Parties, rule_id: str | None = None
) -> Draft:
    """Replace the clause carrying the finding with the subtype's fact-prompting template."""
    strategy = STRATEGY_OF_SUBTYPE.get(subtype, "pivot_to_perpetrator")
    template, rationale, principle = TEMPLATES[subtype]
    if rule_id in RULE_TEMPLATES:
        template, rationale, principle, strategy = RULE_TEMPLATES[rule_id]
    first = clause_subject(clause)
    subject_text = phrase_of(first).text if first else None
    if rule_id == "MI-CHILD-UNHARMED":
        # "The children were not affected"; not "Case [what each child saw ...]".
        named = first is not None and (first.lower_ in CHILD_WORDS or _person(first))
        subject = subject_text if named and subject_text is not None else "the children"
    else:
        # The one whose words are asked for: the subject, else the person a writer's or an
        # institution's clause reports on ("This writer notes that Ms. Greene is paranoid").
        asked = first
        if first is not None and not survivor_subject(first):
            asked = reported_subject(clause) or first
        if asked is not None and survivor_subject(asked):
            subject = phrase_of(asked).text
        else:  # "Ms. Kealoha's PTSD": she is the one whose words are asked for
            subject = (owner_mention(asked) if asked is not None else None) or parties.target()
        if subject == parties.perpetrator:  # the survivor's words, never the perpetrator's
            subject = parties.target()
    if (
        subtype == "minimizing_excusing"
        and first is not None
        and _person(first)
        and subject_text != parties.survivor
    ):
        # "Father has anger issues": the sentence's own subject is the one whose act is asked.
        parties = Parties(subject_text, parties.survivor)
    if parties.perpetrator is None and (source := harm_source(clause)) is not None:
        parties = Parties(source, parties.survivor)
    act, used = None, frozenset[int]()
    if subtype == "survivor_blame":
        found = let_in_act(clause, parties)
        if found is not None:
            act, used = found
    perp_in, _ = refer(parties.perpetrator, "the person causing harm")
    surv_in, surv_pos = refer(parties.survivor, "the survivor")
    _, subj_pos = refer(None if subject.startswith("[") else subject, "the survivor")
    if act is None:
        act = f"{parties.actor()} [specific behavior: what {perp_in} did, to whom, when]"
    skip = (parties.perpetrator or "", parties.survivor or "")
    text = template.format(
        act=act,
        perp=parties.actor(),
        surv=parties.target(),
        perp_in=perp_in,
        surv_in=surv_in,
        surv_pos=surv_pos,
        surv_name=parties.survivor or "the survivor",
        subj=subject,
        subj_pos=subj_pos,
        mods=fact_modifiers(clause, skip, used),
    )
    return Draft(text, strategy, rationale, principle)


def behavior_prompts(sentence: Span, label: str, quote_claim: bool = True) -> Draft:
    """Ask for the specific behaviors behind a vague characterization, keeping its subject.

    The characterization itself (the words after the subject) moves inside the prompt, so the
    writer sees what to support and the label no longer stands as a finding. A subject that is
    no person gives way to its owner ("Dad's behavior toward mom ..." asks about Dad, quoting
    the whole claim), else to "[name]" with nothing quoted: "Concerns [specific behaviors that
    show Concerns also re ...]" and whole sentences quoted after "this person" were drafts.
    """
    root = sentence.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    owner_said = False  # the claim names its subject itself ("Dad's behavior ...")
    if subjects and _characterized_person(subjects[0]):
        first = subjects[0]
        subject = phrase_of(first).text
        rest = sentence.doc[first.right_edge.i + 1 : sentence.end].text
    elif subjects and (owner := owner_mention(subjects[0])) is not None:
        # "Dad's behavior toward mom has been concerning": Dad [specific behaviors that show
        # Dad's behavior toward mom has been concerning ...].
        subject = owner
        rest = sentence.doc[phrase_of(subjects[0]).start : sentence.end].text
        owner_said = True
    else:  # no person to ask about: the prompt does not quote the sentence back
        subject, rest = "[name]", ""
    plain = re.sub(r"\s*\([^)]*\)", "", subject).strip() or "this person"
    plain = "this person" if plain.startswith("[") else plain
    claim = re.sub(r"[\[\]]", "", rest).strip().lstrip("-*• ").rstrip(".;:!? ")
    gendered = pronouns(plain)
    quoted = plain.lower() if plain.lower() in PRONOUNS else plain  # "that show she is ..."
    who = gendered[0] if gendered else quoted
    shows = f"that show {'' if owner_said else quoted + ' '}{claim}"
    if not (claim and quote_claim):
        shows = "behind this description"
    if label == "perpetrator_pattern":
        prompt = (
            f"{subject} [specific behaviors {shows}: what {who} did, when and to whom, e.g."
            " took the phone, tracked location, threatened to take the children]"
        )
        rationale = (
            "A characterization is not a fact: record the specific behaviors that show the pattern."
        )
        principle = "Critical component 1: the perpetrator's pattern of coercive control"
    else:
        prompt = (
            f"{subject} [specific protective actions {shows}: what {who} did, when, e.g."
            " called 911, took the children to a relative, kept school routines]"
        )
        rationale = "Document the survivor's protective efforts as specific actions."
        principle = "Critical component 3: the full spectrum of protective efforts"
    return Draft(_sentence_case(prompt) + ".", "behavior_prompts", rationale, principle)


def prompt_only(parties: Parties, facts: list[str], strategy: str = "prompt_only") -> Draft:
    """The safe fallback: questions only, with the sentence's facts listed for the writer."""
    perp_in = parties.perpetrator or "the person causing harm"
    text = (
        f"{parties.actor()} [what {perp_in} did, to whom and when]; [what the children saw,"
        " heard or said]"
    )
    if facts:
        text += f" [also from the original: {'; '.join(facts)}]"
    return Draft(
        _sentence_case(text) + ".",
        strategy,
        "Rewrite as specific behaviors: who did what to whom, when, and the impact on the"
        " children.",
        "Critical components 1 and 4: the perpetrator's behavior and its impact on the child",
    )
