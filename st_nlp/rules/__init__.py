"""Blaming-language rules as data, applied with spaCy matchers."""
