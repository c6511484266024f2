"""Loading Hugging Face models offline for the model-based text steps, and choosing device and dtype.

Models resolve from a local folder (written by ``save_pretrained``) or from the Hugging Face cache,
always with ``local_files_only=True``: nothing is downloaded at run time. A model that is not
available gets a :class:`ModelNotAvailableError` that says how to fetch it on a connected
machine or how to point at a local copy. Loaded models are shared between steps of a process.
"""

from __future__ import annotations

import os
from typing import Any

from multiaug.core.deps import require
from multiaug.core.errors import InvalidParameterError, MultiaugError
from multiaug.core.params import check_choice

__all__ = ["ModelNotAvailableError", "load_model", "resolve_device"]

_LOADED: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}


class ModelNotAvailableError(MultiaugError, OSError):
    """A model is neither a local folder nor in the Hugging Face cache."""


def _fetch_hint(name: str) -> str:
    return (
        f"model {name!r} is not available offline (multiaug never downloads at run time). Either fetch it on a "
        f"connected machine with `huggingface-cli download {name}` (or `hf download {name}`) and copy the "
        f"Hugging Face cache (~/.cache/huggingface, or $HF_HOME) to this machine, or save it with "
        f"`AutoModel...from_pretrained({name!r}).save_pretrained(DIR)` plus the tokenizer's save_pretrained(DIR), "
        f"and pass that folder as the model argument."
    )


def check_device_and_dtype(device: Any, dtype: Any, owner: str) -> tuple[str, str]:
    """Validate the ``device`` and ``dtype`` arguments shared by the model-backed text steps.

    Example:
        >>> check_device_and_dtype("cuda:1", "bfloat16", "text.BackTranslation")
        ('cuda:1', 'bfloat16')
    """
    if not isinstance(device, str) or not (device in ("auto", "cpu", "mps") or device.startswith("cuda")):
        raise InvalidParameterError(
            f"{owner}: device must be 'auto', 'cpu', 'mps' or 'cuda[:N]', got {device!r}", owner=owner, param="device"
        )
    return device, check_choice(dtype, owner, "dtype", ("auto", "float32", "float16", "bfloat16"))


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when available, else ``"cpu"``; other values are returned as given."""
    if device != "auto":
        return device
    torch = require("torch", "translate", feature="text model steps")
    return "cuda" if torch.cuda.is_available() else "cpu"


def resolve_dtype(dtype: str, device: str) -> Any:
    """The torch dtype for ``dtype`` (``"auto"``: bf16 or fp16 on GPU, fp32 on CPU)."""
    torch = require("torch", "translate", feature="text model steps")
    if dtype == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    table = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
    return table[dtype]


def load_model(name: str, kind: str, device: str, dtype: str, feature: str,
               quantize: str | None = None) -> tuple[Any, Any]:
    """Load ``(model, tokenizer)`` for ``name`` (folder or hub id), offline, in eval mode.

    Args:
        name: A local folder or a Hugging Face model id already in the cache.
        kind: ``"seq2seq"`` or ``"masked-lm"``.
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"`` ...
        dtype: ``"auto"``, ``"float32"``, ``"float16"`` or ``"bfloat16"``.
        feature: The step that needs it (for messages).
        quantize: None, or ``"int8"``: a copy with dynamically quantised ``Linear`` layers (int8
            weights, activations quantised on the fly; CPU only). Faster on CPU, but the numerics
            change, so outputs differ from the float model's.
    """
    require("torch", "translate", feature=feature)
    transformers = require("transformers", "translate", feature=feature)
    dev = resolve_device(device)
    key = (os.path.abspath(name) if os.path.isdir(name) else name, kind, dev, dtype)
    if quantize is not None:
        if dev != "cpu":
            raise InvalidParameterError(f"{feature}: quantize={quantize!r} runs on the CPU only, not on {dev!r}")
        qkey = (*key, quantize)
        hit = _LOADED.get(qkey)
        if hit is None:
            model, tokenizer = load_model(name, kind, device, dtype, feature)
            hit = _LOADED[qkey] = (_quantize_int8(model), tokenizer)
        return hit
    hit = _LOADED.get(key)
    if hit is not None:
        return hit
    auto_model = (
        transformers.AutoModelForSeq2SeqLM if kind == "seq2seq" else transformers.AutoModelForMaskedLM
    )
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(name, local_files_only=True)
        model = auto_model.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise ModelNotAvailableError(f"{feature}: {_fetch_hint(name)} ({exc})") from exc
    except ValueError as exc:  # e.g. a folder that is not a model of this kind
        raise ModelNotAvailableError(f"{feature}: cannot load {name!r} as a {kind} model: {exc}") from exc
    model = model.to(device=dev, dtype=resolve_dtype(dtype, dev))
    model.eval()
    _LOADED[key] = (model, tokenizer)
    return model, tokenizer


def _quantize_int8(model: Any) -> Any:
    """A copy of ``model`` whose ``Linear`` layers are dynamically quantised to int8 (PyTorch's eager API)."""
    import warnings

    import torch

    with warnings.catch_warnings():  # the eager quantisation API is deprecated in favour of torchao
        warnings.simplefilter("ignore", DeprecationWarning)
        from torch.ao.quantization import quantize_dynamic

        quantized = quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=False)
    quantized.eval()
    return quantized
