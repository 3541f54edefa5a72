"""`python -m st_nlp` runs the CLI."""

from st_nlp.cli.main import main

main()
