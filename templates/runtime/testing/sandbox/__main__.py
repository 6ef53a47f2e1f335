"""`python -m <package>.testing.sandbox`: the same as the sandbox console script."""

from ._cli import main

raise SystemExit(main())
