"""Keep the C allocator from handing memory back to the kernel after every numpy temporary.

The models (spaCy's thinc layers, the sentence encoder) allocate and free arrays of a few
hundred kilobytes to a few megabytes per batch. With glibc's default settings a freed block at
the top of the heap is returned to the kernel as soon as the free space there passes the trim
threshold (which starts at 128 KiB and only grows with the largest block freed so far), and the
next batch faults the same pages in again, zeroed. Replaying the sentence encoder's calls of
the English bench run took 511,000 page faults and 1.6 s of system time out of 3.5 s; with the
thresholds below, 20,000 faults and 0.2 s (see the README's speed section).

:func:`tune` sets two of glibc's ``mallopt`` parameters once per process, before models load:
blocks under ``MMAP_THRESHOLD`` come from the heap, and up to ``TRIM_THRESHOLD`` of free heap
is kept for the next batch. It does nothing on another C library, or when the user has set the
allocator through the environment (``MALLOC_*_`` variables or ``GLIBC_TUNABLES``), or with
``WIRETRACE_MALLOC=default``.
"""

from __future__ import annotations

import ctypes
import os
import platform
import threading

MMAP_THRESHOLD = 32 * 1024**2  # larger blocks (the encoder's per-token cache) are mapped
TRIM_THRESHOLD = 128 * 1024**2  # free heap kept for reuse before any is returned
_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3

_lock = threading.Lock()
_done: bool | None = None


def _user_chose() -> bool:
    env = os.environ
    if env.get("WIRETRACE_MALLOC", "").strip().lower() == "default":
        return True
    if "malloc" in env.get("GLIBC_TUNABLES", ""):
        return True
    return any(k.startswith("MALLOC_") and k.endswith("_") for k in env)


def tune() -> bool:
    """Set the thresholds in this process (once); whether they are in effect."""
    global _done
    with _lock:
        if _done is None:
            _done = False
            glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
            if glibc and not _user_chose():
                try:
                    mallopt = ctypes.CDLL(None).mallopt
                    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                    mallopt.restype = ctypes.c_int
                    _done = bool(
                        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                        and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                    )
                except (OSError, AttributeError):
                    _done = False
        return _done
