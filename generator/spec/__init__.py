"""The one reading of an OpenAPI document: loading, normalising, the model, validation, our extensions."""
