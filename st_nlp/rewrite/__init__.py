"""Fact-based rewrite suggestions for blaming language and vague characterizations."""
