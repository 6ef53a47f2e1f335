"""The build: a spec's facts in, a complete distribution folder out, split by job.

Data flows down this list. `pipeline` runs one build (and `generate`'s atomic swap, `check`'s
comparison); `background` runs work in child interpreters (validation, the import probe, a stage);
`client_driver` drives openapi-python-client and `models_driver` datamodel-code-generator, whose one
module `model_modules` splits; `runtime_copy` copies `templates/runtime/`; `own_templates` renders
`templates/package/` through `templating`, the one Jinja environment, and `escaping`, the filters;
`formatting` runs ruff and adds the `headers`; `provenance` records the inputs and files. The
release record (`history`, `versioning`, `changelog`) is project data the build reads; `release/`
imports it from here, never the reverse.
"""
