"""`python -m <package>.testing.sandbox`: the same as the `<distribution>-sandbox` command."""

from ._cli import main

raise SystemExit(main())
