"""The ERROR records a request leaves, from any thread: a client's mistake must never
produce one, whatever it sends."""

from __future__ import annotations

import logging


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
