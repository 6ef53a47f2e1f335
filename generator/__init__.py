"""layer-codegen: turns the hand-written Layer OpenAPI spec into a typed Python package."""
