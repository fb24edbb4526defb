"""``python -m iapgraph`` runs the CLI."""

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the CLI is still importing: one line, no traceback
    from .exceptions import interrupted_while_importing

    interrupted_while_importing()
    raise

if __name__ == "__main__":
    main()  # a program run: the CLI freezes what is imported by now (LazyGroup.main)
