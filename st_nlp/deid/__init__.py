"""De-identification of case-note text for trainers' example sets (Presidio + case-note rules)."""
