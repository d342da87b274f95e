"""A bounded memo in this process's memory, for values that can never be stale under their key
(the key holds everything the value depends on: a data stamp, a scope token, a release).

Nothing expires: when the memo would grow past `max_items` entries or `max_size` in total (as
measured by `size`, e.g. characters of HTML), it is emptied and refills from use. Thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any


class ProcessMemo:
    def __init__(
        self, max_items: int, max_size: int | None = None, size: Callable[[Any], int] = len
    ):
        self.max_items, self.max_size, self._size_of = max_items, max_size, size
        self._values: dict[Hashable, Any] = {}
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        return self._values.get(key, default)

    def set(self, key: Hashable, value) -> None:
        size = self._size_of(value) if self.max_size is not None else 0
        if self.max_size is not None and size > self.max_size:
            return
        with self._lock:
            full = len(self._values) >= self.max_items
            if full or (self.max_size is not None and self._total + size > self.max_size):
                self._values.clear()
                self._total = 0
            self._values[key] = value
            self._total += size

    def discard(self, key: Hashable) -> None:
        with self._lock:
            value = self._values.pop(key, None)
            if value is not None and self.max_size is not None:
                self._total -= self._size_of(value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._total = 0

    def __len__(self) -> int:
        return len(self._values)
