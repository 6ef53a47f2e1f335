"""layer-codegen: turns the hand-written Layer OpenAPI spec into the `plaid_layer` package."""
