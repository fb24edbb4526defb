"""Subcommands of the ``iapgraph`` CLI, one module per area; each imports heavy libraries lazily."""
