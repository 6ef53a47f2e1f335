"""`python -m <package>.testing.sandbox`: the same as the `plaid-layer-sandbox` command."""

from ._cli import main

raise SystemExit(main())
