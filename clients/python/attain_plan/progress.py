"""A progress bar on stderr, redrawn in place; nothing at all when stderr is not a
terminal (a log or a pipe gets no control characters)."""
import sys
from typing import TextIO

_WIDTH = 30


class ProgressBar:
    def __init__(self, stream: TextIO = sys.stderr):
        self._stream = stream
        self._shown = stream.isatty()
        self._drawn = False

    def show(self, label: str, done: int, total: int) -> None:
        if not self._shown:
            return
        share = min(1.0, done / total) if total else 0.0
        filled = int(_WIDTH * share)
        counts = f" {done:,}/{total:,}" if total else ""
        self._stream.write(f"\r\033[K[{'#' * filled}{'.' * (_WIDTH - filled)}] {label}{counts}")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._drawn = False
