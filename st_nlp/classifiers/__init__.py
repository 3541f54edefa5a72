"""Sentence classifiers behind one interface: strings in, `{label: probability}` out."""
