"""The Presidio analyzer on our bundled spaCy model, with only offline recognizers.

Presidio's default configuration asks for `en_core_web_lg` (a download) and its e-mail and
URL recognizers fetch the public-suffix list from the internet on first use; both fail on an
offline machine. So the NLP engine is configured explicitly and the registry is built by hand:
Presidio's spaCy recognizer (PERSON, places, dates) and phone recognizer, plus ours.
"""

from __future__ import annotations

from functools import lru_cache

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

from st_nlp.deid.patterns import RULES_BY_ENTITY
from st_nlp.deid.people import PersonRecognizer
from st_nlp.deid.regex_recognizer import RegexRecognizer
from st_nlp.nlp import PIPELINE_PACKAGE

NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": PIPELINE_PACKAGE}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {
            "PERSON": "PERSON",
            "PER": "PERSON",
            "GPE": "LOCATION",
            "LOC": "LOCATION",
            "FAC": "LOCATION",
            "DATE": "DATE",
            "TIME": "TIME",
        },
        "low_confidence_score_multiplier": 0.4,
        "low_score_entity_names": [],
        "labels_to_ignore": [
            "CARDINAL",
            "ORDINAL",
            "QUANTITY",
            "MONEY",
            "PERCENT",
            "ORG",
            "NORP",
            "LANGUAGE",
            "LAW",
            "EVENT",
            "PRODUCT",
            "WORK_OF_ART",
        ],
    },
}
SPACY_ENTITIES = ["PERSON", "LOCATION", "DATE", "TIME"]


@lru_cache(maxsize=1)
def build_analyzer() -> AnalyzerEngine:
    """The analyzer, built once per process (loading spaCy takes about a second)."""
    nlp_engine = NlpEngineProvider(nlp_configuration=NLP_CONFIGURATION).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_entities=SPACY_ENTITIES))
    registry.add_recognizer(PhoneRecognizer(supported_regions=("US",)))
    registry.add_recognizer(PersonRecognizer())
    for entity, rules in RULES_BY_ENTITY.items():
        registry.add_recognizer(RegexRecognizer(entity, rules, name=f"CaseNote{entity.title()}"))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
