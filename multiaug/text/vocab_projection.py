"""The decoder's vocabulary projection (hidden state -> logits) for the lean decoding loop.

At each decoding step a MarianMT decoder multiplies its ``(rows, d_model)`` hidden state by the
``(vocabulary, d_model)`` output embedding. With opus-mt's 58,101-entry vocabulary that one
product is about three quarters of a decoding step on a CPU. torch runs it through its bundled
BLAS, which on a short, very wide product like this one was 2.1-2.5x slower here (an AVX2 AMD
EPYC, one thread) than NumPy's OpenBLAS on a transposed copy of the weight: the same float32
arithmetic, a different kernel. :func:`vocab_projection` picks the NumPy route for a float32
``nn.Linear`` on the CPU and the module itself for anything else (GPU, half precision, the
``quantize="int8"`` copy). The transposed copy costs the weight's size once per model (119 MB
for opus-mt-en-de); it is rebuilt when the weight is changed or replaced.

NumPy's BLAS keeps its own thread pool, so :func:`blas_threads` holds it to torch's thread count
while a batch is decoded (through ``threadpoolctl``, part of the ``translate`` extra; without it
the pool keeps its own setting, which ``OMP_NUM_THREADS`` or ``OPENBLAS_NUM_THREADS`` decide).
The pool is one per process, so the limit also holds for other threads' NumPy products meanwhile.

Example:
    >>> import torch
    >>> head = torch.nn.Linear(4, 6, bias=False)
    >>> project = vocab_projection(head)
    >>> h = torch.ones(2, 4)
    >>> with torch.inference_mode():
    ...     bool(torch.allclose(project(h), head(h), atol=1e-6))
    True
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

__all__ = ["blas_threads", "vocab_projection"]

# per output module: (data pointer, version counter) of the weight it was made from, and the copy
_TRANSPOSED: weakref.WeakKeyDictionary[Any, tuple[int, int, np.ndarray]] = weakref.WeakKeyDictionary()
_controller: list[Any] = []  # the threadpoolctl controller, made on first use (it scans loaded libraries)


def vocab_projection(lm_head: Any) -> Callable[[Any], Any]:
    """A function equal to ``lm_head(h)`` (up to float rounding), through NumPy on the CPU.

    Args:
        lm_head: The model's output projection module.

    Returns:
        ``project(h)``, taking and returning torch tensors.
    """
    import torch

    weight = getattr(lm_head, "weight", None)
    if (
        type(lm_head) is not torch.nn.Linear
        or weight is None
        or weight.dtype != torch.float32
        or weight.device.type != "cpu"
    ):
        return lm_head
    transposed = _transposed_weight(lm_head, weight)
    bias = None if lm_head.bias is None else lm_head.bias.detach().numpy()

    def project(h: Any) -> Any:
        if h.dtype != torch.float32 or h.device.type != "cpu":
            return lm_head(h)
        out = np.matmul(h.detach().contiguous().numpy(), transposed)
        if bias is not None:
            out += bias
        return torch.from_numpy(out)

    return project


def _transposed_weight(lm_head: Any, weight: Any) -> np.ndarray:
    key = (weight.data_ptr(), weight._version)
    held = _TRANSPOSED.get(lm_head)
    if held is not None and held[:2] == key:
        return held[2]
    transposed = np.ascontiguousarray(weight.detach().numpy().T)
    _TRANSPOSED[lm_head] = (*key, transposed)
    return transposed


@contextlib.contextmanager
def blas_threads(n: int) -> Iterator[None]:
    """Hold NumPy's BLAS to ``n`` threads inside the block (no-op without ``threadpoolctl``).

    Example:
        >>> with blas_threads(1):
        ...     pass
    """
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - installed with the translate extra
        yield
        return
    if not _controller:
        _controller.append(ThreadpoolController())
    with _controller[0].limit(limits=max(1, int(n)), user_api="blas"):
        yield
