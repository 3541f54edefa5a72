"""Batch audits of note quality for supervisors."""
