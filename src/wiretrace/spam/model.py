"""The spam model as shipped: sparse weights and idf in one ``.npz`` (no pickle), scored with numpy.

The file holds only numeric arrays and a JSON string of metadata (training sources, sizes,
threshold), loaded with ``allow_pickle=False`` so a model file can never run code.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import features

SHIPPED = Path(__file__).with_name("model.npz")
FORMAT = "wiretrace-spam/1"


@dataclass
class SpamModel:
    """A logistic model over :mod:`features`: ``score`` is the probability that a text is spam."""

    weights: np.ndarray  # dense, features.DIM
    bias: float
    idf: np.ndarray  # dense, features.DENSE_BASE
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def margin(self, text: str) -> float:
        idx, val = features.rows([text], self.idf)
        return float(np.dot(self.weights[idx[0]], val[0]) + self.bias)

    def score(self, text: str) -> float:
        z = self.margin(text)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def is_spam(self, text: str) -> bool:
        return self.score(text) >= self.threshold

    def save(self, path: str | Path) -> None:
        """Write the sparse arrays (only the slots training saw) compressed, deterministically."""
        w_idx = np.flatnonzero(self.weights).astype(np.int32)
        default = float(self.idf.max()) if self.idf.size else 1.0
        i_idx = np.flatnonzero(self.idf != default).astype(np.int32)
        meta = {**self.meta, "format": FORMAT, "threshold": self.threshold, "bias": self.bias,
                "idf_default": default, "dim": features.DIM}  # fmt: skip
        arrays = {
            "w_idx": w_idx,
            "w_val": self.weights[w_idx].astype(np.float32),
            "idf_idx": i_idx,
            "idf_val": self.idf[i_idx].astype(np.float32),
            "meta": np.array(json.dumps(meta, sort_keys=True)),
        }
        # Written member by member with a fixed timestamp: the same model gives the same bytes.
        with zipfile.ZipFile(Path(path), "w", zipfile.ZIP_DEFLATED) as zf:
            for name, arr in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, buf.getvalue())


def read_model(path: str | Path) -> SpamModel:
    """Load a model file written by :meth:`SpamModel.save`."""
    with np.load(Path(path), allow_pickle=False) as data:
        meta = json.loads(str(data["meta"].reshape(-1)[0]))
        if meta.get("format") != FORMAT or meta.get("dim") != features.DIM:
            raise ValueError(f"{path}: not a {FORMAT} model of {features.DIM} features")
        weights = np.zeros(features.DIM, dtype=np.float64)
        weights[data["w_idx"]] = data["w_val"]
        idf = np.full(features.DENSE_BASE, float(meta["idf_default"]), dtype=np.float64)
        idf[data["idf_idx"]] = data["idf_val"]
    return SpamModel(weights, float(meta["bias"]), idf, float(meta["threshold"]), meta)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> SpamModel:
    """The model at ``path``, else the one shipped in the package (read once per process)."""
    return read_model(path or SHIPPED)
