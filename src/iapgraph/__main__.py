"""``python -m iapgraph`` runs the CLI."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the CLI is still importing: one line, no traceback
    sys.stderr.write("error: interrupted\n")
    sys.exit(130)

if __name__ == "__main__":
    main()
