"""The error every generation stage raises."""


class GenerationError(Exception):
    """Generation failed; the message names the stage and the problem. The output is untouched."""
