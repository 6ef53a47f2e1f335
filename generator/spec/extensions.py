"""Every `x-` extension the project defines or reads, in one place.

A spec author marks a construct with one of these; the generator reads the marker through these
names, and the runtime or the models' generator reads the ones the generator passes on. The runtime
cannot import the generator, so it keeps its own copy of a marker it reads
(`templates/runtime/_request.py`, `_redact.py`); a test checks those copies against this module.
"""

from __future__ import annotations

WEBHOOK_VERIFICATION_KEY = "x-webhook-verification-key"
"""On the operation that returns a webhook signing key: `true`. The webhook verifier calls it."""
WEBHOOK_IDENTITY = "x-webhook-identity"
"""On a `webhooks:` operation: `{webhook_type: ..., webhook_code: ...}`, when the payload schema
gives them only in prose (as Plaid's do); otherwise they are read from the payload's `const`s."""
LAYER_NULLABLE = "x-layer-nullable"
"""Put by the generator on request-model properties that admit `null`; the runtime leaves out
other `None`s (`NULLABLE_MARKER` in `templates/runtime/_request.py`)."""
SENSITIVE = "x-sensitive"
"""On a property whose value must not be logged or shown; the models keep it as a field extra and
the runtime redacts the field (`SENSITIVE_MARKER` in `templates/runtime/_redact.py`)."""
BODY_FIELD = "x-body-field"
"""On an apiKey header security scheme: the request-body field the credential stands for."""
HEADER_VALUE = "x-header-value"
"""On an apiKey header security scheme: the fixed value every request sends."""
ENVIRONMENT = "x-environment"
"""On a server: the environment name clients select it by (`sandbox`, `production`)."""
DOCS_PAGE = "x-docs-page"
"""On an operation or webhook documented on another reference page: that page's URL (docs-check)."""
EXAMPLES = "x-examples"
"""Examples some 3.0 specs give beside a schema; normalisation folds them into `examples`."""

MODEL_FIELD_EXTRAS = (SENSITIVE, LAYER_NULLABLE)
"""The extensions the models' generator keeps on a field (`field-extra-keys` in its config)."""
