"""The errors the commands report (a build's, a release's), and how long an error message may be."""


class GenerationError(Exception):
    """Generation failed; the message names the stage and the problem. The output is untouched."""


class ReleaseError(Exception):
    """The release cannot be made (or its record read); the message says why. Nothing was written."""


SCREEN_LINES = 12
SCREEN_CHARACTERS = 1200


def one_screen(message: str) -> str:
    """`message` cut to a few lines and characters, saying how much was left out.

    Errors quote their causes (a validator's message, a generator's output), and some causes
    quote the whole document; no message should need scrolling.
    """
    message = message.rstrip()
    lines = message.splitlines() or [""]
    kept = "\n".join(lines[:SCREEN_LINES])[:SCREEN_CHARACTERS]
    cut = len(message) - len(kept)
    return kept if cut <= 0 else f"{kept}... ({cut} more characters cut)"
