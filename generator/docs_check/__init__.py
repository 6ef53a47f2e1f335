"""`layer-codegen docs-check`: compare a published Plaid API reference page with the spec.

The modules, in the order the check uses them: `source` reads the page, `page` parses it, `schema` and
`compare` turn it into findings, `report` renders them, `rewrite` copies the page's examples into the spec.

    from generator.docs_check import run_docs_check
    run_docs_check(
        "layer.md", spec=Path("spec/layer.yaml"), project=ProjectConfig(), fmt="json", write_examples=False
    )
"""

from generator.docs_check.run import run_docs_check

__all__ = ["run_docs_check"]
