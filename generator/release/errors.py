"""The error every step of a release raises."""


class ReleaseError(Exception):
    """The release cannot be made; the message says why. Nothing was written."""
