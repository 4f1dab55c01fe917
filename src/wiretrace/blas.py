"""One BLAS thread for small matrix products (a thread pool's spinning costs more than they do).

The process's BLAS thread-pool controller (threadpoolctl) is found once and shared by every
caller: story placement and the sentence encoder's forward pass.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

_blas_lock = threading.Lock()
_blas: list[Any] = []  # the process's BLAS thread-pool controller, found once


def one_blas_thread() -> AbstractContextManager[object]:
    """BLAS on the calling thread only, for the duration of the block.

    Ranking a new report against its ~1,200 retrieved candidates is a 1,200 x 512 product:
    OpenBLAS hands it to all its threads, whose spinning cost 50 times the CPU of computing it
    alone (1.6 ms against 32 us, measured on the shared 2-core machine), at every placement.
    """
    with _blas_lock:
        if not _blas:
            try:
                from threadpoolctl import ThreadpoolController

                _blas.append(ThreadpoolController())
            except ImportError:
                _blas.append(None)
    controller = _blas[0]
    if controller is None:
        return nullcontext()
    limited: AbstractContextManager[object] = controller.limit(limits=1, user_api="blas")
    return limited
