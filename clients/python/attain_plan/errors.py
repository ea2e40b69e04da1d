"""Bad input found before any call: attain-plan exits 2 with the message."""


class BadInput(Exception):
    """A file or flag that cannot be used; the message names the file and the line and
    column, or the field."""


def bounded(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters, so that no message quotes a whole file."""
    return text if len(text) <= limit else text[:limit] + "..."
