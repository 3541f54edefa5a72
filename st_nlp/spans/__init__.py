"""Blaming-span detection learned from the annotated spans."""
