"""``python -m exokg`` runs the same CLI as the ``exokg`` script."""

import sys

from exokg.cli.app import main

if __name__ == "__main__":
    sys.exit(main())
