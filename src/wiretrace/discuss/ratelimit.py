"""Sliding-window rate limits per user and per IP, held in the server process."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, *keys: str) -> bool:
        """Count one event for every key if all are under their limit; else count nothing."""
        t = self.clock()
        with self._lock:
            queues = []
            for key in keys:
                q = self._events.setdefault(key, deque())
                while q and q[0] <= t - self.window:
                    q.popleft()
                queues.append(q)
            if any(len(q) >= self.limit for q in queues):
                return False
            for q in queues:
                q.append(t)
            if len(self._events) > 100_000:  # forget idle keys so memory stays bounded
                self._events = {k: q for k, q in self._events.items() if q}
            return True
