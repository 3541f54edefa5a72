"""The condition a threatened consequence is tied to, read from the dependency parse.

Codebook 6.22 calls a threat of removal tied to what the survivor does survivor blame ("if
there is another incident the children may be removed", "if she does not follow this plan the
agency may file for removal"): it makes the survivor answerable for the perpetrator's behavior.
The words that do so are the condition, not the consequence, so a rule of kind `conditioned`
matches the consequence with its patterns ("removal", "returning to care") and flags the
"if" / "unless" clause of the same sentence that the consequence is not part of, or the subject
of the "result in" / "lead to" whose object holds it ("any contact with Mr. Holloway will result
in the children returning to care").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

CONDITION_MARKS = frozenset({"if", "unless"})
# Verbs whose subject is the condition of the consequence in their object.
RESULT_VERBS = frozenset({"result", "lead"})
# Words that open a true relative clause ("the home where the children were removed").
RELATIVE_WORDS = frozenset({"where", "which", "that", "who", "whom", "whose", "when"})


def condition_clauses(sentence: Span, consequence: Span) -> list[Span]:
    """The conditions `consequence` is tied to: the "if" / "unless" clauses of `sentence`
    outside it, each from its marker to the end of its clause without trailing punctuation, and
    the subject of the "result in" / "lead to" whose object holds it (`_result_subject`)."""
    doc = sentence.doc
    clauses = []
    for marker in sentence:
        if marker.dep_ != "mark" or marker.lower_ not in CONDITION_MARKS:
            continue
        verb = marker.head
        start, end = min(marker.i, verb.left_edge.i), verb.right_edge.i + 1
        if start <= consequence.start and consequence.end <= end:
            end = _main_clause_start(verb, consequence)
            if end <= marker.i + 1:
                continue  # the consequence is part of the condition ("if she is removed from")
        while end > marker.i + 1 and doc[end - 1].is_punct:
            end -= 1
        clauses.append(doc[marker.i : end])
    result = _result_subject(consequence)
    if result is not None:
        clauses.append(result)
    return clauses


def _result_subject(consequence: Span) -> Span | None:
    """The subject of the "result in" / "lead to" whose object holds `consequence`."""
    token = consequence.root
    while token.head.i != token.i:
        head = token.head
        if head.lemma_.lower() in RESULT_VERBS and token.dep_ == "prep":
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if not subjects or subjects[0].pos_ == "PRON":
                return None  # "this could lead to removal": the condition is elsewhere
            subject = subjects[0]
            start = subject.left_edge.i
            if subject.doc[start].lower_ == "that" and start < subject.i:
                start += 1  # "advised that failure to ...": the parser may take "that" as its det
            return subject.doc[start : subject.right_edge.i + 1]
        token = head
    return None


def _main_clause_start(verb: Token, consequence: Span) -> int:
    """Where the main clause holding `consequence` begins inside the subtree of the condition's
    `verb`, else the condition's own start (no main clause found there).

    Without a comma after the condition, spaCy's small parser reads the main clause as a
    relative clause of the condition's last noun ("if she fails to follow the plan [the agency
    will file for removal]"). Such a clause has its own subject and no relative word.
    """
    token = consequence.root
    found = verb.left_edge.i
    while token.i != verb.i and token.head.i != token.i:
        has_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children)
        if (
            token.dep_ in {"relcl", "ccomp", "conj"}
            and has_subject
            and token.left_edge.lower_ not in RELATIVE_WORDS
        ):
            found = token.left_edge.i
        token = token.head
    return found
