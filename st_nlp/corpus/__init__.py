"""The annotated corpus: records, validation, statistics, agreement and format converters."""
