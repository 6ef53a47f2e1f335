# Copied by layer-codegen from templates/runtime/testing/sandbox/__main__.py, unchanged; do not edit here: edit that file, then nox -s generate
"""`python -m <package>.testing.sandbox`: the same as the `<distribution>-sandbox` command."""

from ._cli import main

raise SystemExit(main())
