"""De-identified example sets for trainers: selection (`select.py`), de-identification and
assembly (`build.py`), files (`export.py`)."""
