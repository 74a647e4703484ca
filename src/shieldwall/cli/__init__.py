"""The `shieldwall` command line: composes each package's Typer group."""
