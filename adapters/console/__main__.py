"""`python -m adapters.console` runs the `boussole` command (for environments without the
console script on PATH, and for tests that must run the very interpreter they use)."""

from adapters.console.cli import main

main()
