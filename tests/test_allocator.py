"""The allocator keeps freed model scratch memory for the next batch (allocator.py)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

# Three arrays of about 2 MB made and freed 200 times, as a model's batch makes its temporaries:
# the page faults that cost (each a page the kernel zeroes again).
_LOOP = """
import resource
import numpy as np
from wiretrace import allocator
tuned = allocator.tune()
f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for i in range(200):
    parts = [np.ones((512 + i % 7, 1024), dtype=np.float32) for _ in range(3)]
    del parts
print(int(tuned), resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
"""

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)


def _run(**env: str) -> tuple[bool, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    clean.pop("GLIBC_TUNABLES", None)
    clean.pop("WIRETRACE_MALLOC", None)
    out = subprocess.run(
        [sys.executable, "-c", _LOOP], env={**clean, **env}, capture_output=True, text=True,
        check=True,
    ).stdout.split()  # fmt: skip
    return out[0] == "1", int(out[1])


@glibc
def test_freed_batches_are_reused_not_faulted_in_again() -> None:
    tuned, faults = _run()
    untuned, default_faults = _run(WIRETRACE_MALLOC="default")
    assert tuned and not untuned
    # 200 rounds of 6 MB: the default returns them to the kernel each round (about 200,000
    # faults here); tuned, the first round's pages are reused.
    assert faults * 10 < default_faults


@glibc
def test_an_allocator_chosen_by_the_user_is_left_alone() -> None:
    assert _run(MALLOC_TRIM_THRESHOLD_="131072")[0] is False
    assert _run(GLIBC_TUNABLES="glibc.malloc.trim_threshold=131072")[0] is False


_SETTLE = """
import gc
from wiretrace import allocator
allocator.tune()
assert gc.get_threshold()[2] >= allocator.FULL_COLLECTION_EVERY
assert allocator.settle() is False          # nothing loaded yet: nothing frozen
assert gc.get_freeze_count() == 0
table = {i: (str(i), [i]) for i in range(50_000)}  # what a model or lexicon load leaves
allocator.loaded()
import weakref
class Node: pass
node = Node()
node.me = node
gone = weakref.ref(node)
del node                                    # garbage in a cycle at the time of settling
assert allocator.settle() is True
frozen = gc.get_freeze_count()
assert frozen > 100_000, frozen             # the table's dict, tuples and lists
assert gone() is None                       # the cycle was collected before freezing
assert allocator.settle() is False          # no new load: no second collection
print("ok")
"""


def test_loaded_models_are_frozen_out_of_later_collections() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _SETTLE], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "ok"
