"""The st-nlp review service: FastAPI app, API keys with roles, LanguageTool-compatible checks."""
