"""Memory management for analysis processes: the C allocator and Python's garbage collector.

**The allocator.** Keep it from handing memory back to the kernel after every numpy temporary.

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

**The garbage collector.** A loaded analysis process holds models, registries and lexicons:
hundreds of thousands of long-lived objects that every full collection walked again. In the
English bench run, six full collections took 0.8 s of CPU out of about 10 (found by the quote
stage's engineer, timed with a ``gc.callbacks`` hook). :func:`settle`, called after a batch
whose analysis loaded something new (:func:`loaded`), collects once and then freezes what is
left (``gc.freeze``: kept out of every later collection; objects are still freed when their
last reference goes); :func:`tune` also makes full collections ten times rarer (the third
threshold 10 -> 100). The same run: collections 1.06 -> 0.2 s. A frozen object that later
becomes part of a reference cycle is never collected, so settling happens only when models
load (a few times per process).
"""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import threading

MMAP_THRESHOLD = 32 * 1024**2  # larger blocks (the encoder's per-token cache) are mapped
TRIM_THRESHOLD = 128 * 1024**2  # free heap kept for reuse before any is returned
_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3

FULL_COLLECTION_EVERY = 100  # collections of the middle generation (CPython's default: 10)

_lock = threading.Lock()
_done: bool | None = None
_loads = 0  # models loaded in this process (see loaded)
_settled = 0  # ... when it last settled


def _user_chose() -> bool:
    env = os.environ
    if env.get("WIRETRACE_MALLOC", "").strip().lower() == "default":
        return True
    if "malloc" in env.get("GLIBC_TUNABLES", ""):
        return True
    return any(k.startswith("MALLOC_") and k.endswith("_") for k in env)


def tune() -> bool:
    """Set the allocator's thresholds in this process (once) and make full garbage
    collections rarer; whether the allocator's thresholds are in effect."""
    global _done
    with _lock:
        if _done is None:
            _done = False
            first, second, third = gc.get_threshold()
            gc.set_threshold(first, second, max(third, FULL_COLLECTION_EVERY))
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


def loaded() -> None:
    """Note that a model was loaded (its objects will live as long as the process)."""
    global _loads
    with _lock:
        _loads += 1


def settle() -> bool:
    """After a batch: if models were loaded since the last time, collect once and freeze the
    survivors (see the module doc); whether it did."""
    global _settled
    with _lock:
        if _loads == _settled:
            return False
        _settled = _loads
    gc.collect()
    gc.freeze()
    return True
