"""``python -m iapgraph`` runs the CLI."""

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the CLI is still importing: one line, no traceback
    from .exceptions import interrupted_while_importing

    interrupted_while_importing()
    raise

if __name__ == "__main__":
    import gc

    # A program run only (not a library import): what is imported by now lives as long as the
    # process, so the collector need never walk it again.
    gc.freeze()
    main()
