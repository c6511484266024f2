"""Back-translation (text -> pivot language -> text) with MarianMT models, batched.

Speed: inputs are tokenised once, sorted by length and run in batches of ``batch_size`` with
per-batch padding, under ``torch.inference_mode``, in fp16/bf16 on GPU; each row's output
length is capped relative to its own input length; translations are cached. Decoding uses the
lean loop of :mod:`multiaug.text.decoding` (a preallocated key/value cache, rows that have ended
leave the batch, no per-token ``generate`` machinery, on CPU the vocabulary projection through
NumPy's BLAS on a transposed copy of the output embedding, which costs that matrix's size once per
model), which picks the same tokens as ``model.generate``; beam search and models or generation
options it does not implement fall back to ``generate`` (``lean_decoding=False`` forces it).
``quantize="int8"`` is an explicit, CPU-only opt-in for dynamically quantised linear layers:
faster, but different numerics, and then a row's output also depends on the other rows of its
batch (activations are quantised per batch), so a replayed record may differ from the batched call.
``pipe.batch(...)`` and ``pipe.variants(...)`` reach this batched path through
:meth:`BackTranslation.apply_batch`.

Randomness and replay: sampling is done with per-row seeded Gumbel noise (the Gumbel-max trick,
which draws exactly from the temperature- and top-p-adjusted distribution), from a seed in the
step's parameters. A row's noise, length cap and decoding depend only on its own text and seed,
never on the other rows of its batch, so replaying a record (which runs the sample alone) gives
the output of the batched call. The one caveat is floating point: a padded batch and a lone row
may differ in the last bits of the logits, which can flip a near-tie; on CPU in float32 they
agree (tested), and within one process the translation cache returns the batched result anyway.

Example (needs local models; not run here):
    import multiaug as ma
    from multiaug import text as T
    bt = T.BackTranslation(forward_model="/models/opus-mt-en-de", backward_model="/models/opus-mt-de-en")
    pipe = ma.Pipeline([bt], seed=0)
    outs = pipe.batch([{"text": s} for s in sentences])         # one batched run
    variants = pipe.variants({"text": "The weather is nice today."}, n=4)
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import (
    AugmentationError,
    InvalidParameterError,
    InvalidParameterTypeError,
    MultiaugError,
)
from multiaug.core.fields import Sample, Updates
from multiaug.core.params import check_choice, check_int, check_number
from multiaug.core.registry import register
from multiaug.text.base import TEXT_KINDS, check_bool
from multiaug.text.decoding import RowSampler, gumbel_noise, lean_decode, lean_unsupported_reason
from multiaug.text.models import check_device_and_dtype, load_model

__all__ = ["BackTranslation", "row_seeds"]


def row_seeds(seed: int, field_index: int) -> tuple[int, int]:
    """The two torch seeds (forward and backward pass) of one text field, from the step's seed.

    Example:
        >>> a = row_seeds(7, 0)
        >>> a == row_seeds(7, 0), a == row_seeds(7, 1)
        (True, False)
    """
    state = np.random.SeedSequence([seed, field_index]).generate_state(4, dtype=np.uint32)
    return int(state[0]) << 32 | int(state[1]), int(state[2]) << 32 | int(state[3])


def _check_model_name(value: Any, owner: str, param: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be a model folder or a Hugging Face model id, got {value!r}",
            owner=owner,
            param=param,
        )
    return value


def _nucleus(torch: Any, probs: Any, top_p: float) -> Any:
    """Per row, the smallest set of most likely tokens whose mass reaches ``top_p`` (boolean mask).

    A full sort of the vocabulary at every step costs more than the model's own step on CPU, so
    rows whose nucleus lies within their 128 most likely tokens (the usual case for a trained
    model) use ``topk``; the others find the probability threshold by bisection. Each row's
    result depends only on that row.
    """
    rows, vocab = probs.shape
    k = min(vocab, 128)
    vals, idx = probs.topk(k, dim=-1)
    cum = vals.cumsum(dim=-1)
    short = cum[:, -1] >= top_p
    keep = torch.zeros_like(probs, dtype=torch.bool)
    if bool(short.any()):
        n_keep = (cum < top_p).sum(dim=-1, keepdim=True) + 1
        chosen = torch.arange(k, device=probs.device).unsqueeze(0) < n_keep
        keep = keep.scatter(-1, idx, chosen & short.unsqueeze(1))
    if not bool(short.all()):
        rest = (~short).nonzero().flatten()
        p = probs[rest]
        lo = torch.zeros(len(rest), dtype=p.dtype, device=p.device)
        hi = vals[rest, 0].clone()  # the most likely token is always kept
        for _ in range(24):
            mid = (lo + hi) / 2
            ok = (p * (p >= mid.unsqueeze(1))).sum(dim=-1) >= top_p
            lo = torch.where(ok, mid, lo)
            hi = torch.where(ok, hi, mid)
        keep[rest] = p >= lo.unsqueeze(1)
    return keep


class _RowControl:
    """A logits processor for ``model.generate``: per-row length cap, and per-row seeded sampling.

    Used where the lean loop of :mod:`multiaug.text.decoding` cannot decode (beam search, other
    models); sampling goes through the same :class:`~multiaug.text.decoding.RowSampler`.
    """

    def __init__(self, torch: Any, caps: list[int], seeds: list[int] | None, top_p: float, temperature: float,
                 eos: int, num_beams: int, start_len: int, device: Any) -> None:
        self.torch = torch
        self.caps = caps
        self.top_p = top_p
        self.eos = eos
        self.num_beams = num_beams
        self.start_len = start_len
        self.sampler = None if seeds is None else RowSampler(torch, seeds, top_p, temperature, device, num_beams)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        torch = self.torch
        generated = input_ids.shape[1] - self.start_len
        if self.sampler is not None:
            rows, vocab = scores.shape
            if self.num_beams > 1:
                # Stochastic beam search: perturb the nucleus-restricted scores with the rows' noise.
                logp = self.sampler.log_probs(scores)
                if self.top_p < 1.0:
                    logp = logp.masked_fill(~_nucleus(torch, logp.exp(), self.top_p), float("-inf"))
                scores = logp + gumbel_noise(torch, self.sampler.gens, vocab, logp.device)
            else:
                choice = self.sampler.pick(scores, list(range(rows))).to(scores.device)
                scores = torch.full_like(scores, float("-inf"), dtype=torch.float32)
                scores.scatter_(1, choice.unsqueeze(1), 0.0)
        for row in range(scores.shape[0]):
            if generated >= self.caps[row // self.num_beams] - 1:
                scores[row] = float("-inf")
                scores[row, self.eos] = 0.0
        return scores


@register
class BackTranslation(Augmenter):
    """Paraphrases by translating to a pivot language and back (MarianMT), in length-sorted batches.

    Acts on ``text`` and ``caption`` fields. Models load on first use, offline only (see
    :mod:`multiaug.text.models`). With ``do_sample=True`` (the default) each call draws a
    different paraphrase; beam search alone (``do_sample=False``) always gives the same one.

    Args:
        forward_model: Model (folder or cached hub id) translating into the pivot language.
        backward_model: Model translating back.
        device: ``"auto"`` (GPU if available), ``"cpu"``, ``"cuda"`` ...
        dtype: ``"auto"`` (bf16/fp16 on GPU, fp32 on CPU), ``"float32"``, ``"float16"``, ``"bfloat16"``.
        batch_size: Rows per generation batch.
        num_beams: Beam width (1 = greedy, or plain sampling with ``do_sample``).
        do_sample: Sample tokens (diverse outputs) instead of taking the most likely ones.
        top_p: Nucleus-sampling mass, in (0, 1].
        temperature: Sampling temperature, > 0.
        num_return_sequences: Default number of variants per text returned by :meth:`augment`.
        max_new_tokens: Hard cap on generated tokens per row; None for the relative cap only.
        length_ratio: Relative cap: at most ``length_ratio * input_tokens + 10`` new tokens per row.
        cache_size: Translations kept in the in-memory cache (0 disables it).
        lean_decoding: Decode with multiaug's own loop (:mod:`multiaug.text.decoding`) where it
            applies (MarianMT, ``num_beams=1``); False always uses ``transformers``' ``generate``.
        quantize: None, or ``"int8"`` (opt-in, ``device="cpu"`` only): run copies of the models
            whose ``Linear`` layers are dynamically quantised to int8. Faster on CPU, but the
            numerics change, so the paraphrases differ from the float models'.
        p: Probability of applying the step.
    """

    def __init__(
        self,
        forward_model: str = "Helsinki-NLP/opus-mt-en-de",
        backward_model: str = "Helsinki-NLP/opus-mt-de-en",
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int = 32,
        num_beams: int = 1,
        do_sample: bool = True,
        top_p: float = 0.9,
        temperature: float = 1.0,
        num_return_sequences: int = 1,
        max_new_tokens: int | None = None,
        length_ratio: float = 1.5,
        cache_size: int = 10000,
        lean_decoding: bool = True,
        quantize: str | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(p=p)
        owner = self.name
        self.forward_model = _check_model_name(forward_model, owner, "forward_model")
        self.backward_model = _check_model_name(backward_model, owner, "backward_model")
        self.device, self.dtype = check_device_and_dtype(device, dtype, owner)
        self.batch_size = check_int(batch_size, owner, "batch_size", low=1)
        self.num_beams = check_int(num_beams, owner, "num_beams", low=1)
        self.do_sample = check_bool(do_sample, owner, "do_sample")
        self.top_p = top_p
        self._top_p = check_number(top_p, owner, "top_p", low=0.0, high=1.0)
        if self._top_p == 0:
            raise InvalidParameterError(f"{owner}: top_p must be in (0, 1], got 0", owner=owner, param="top_p")
        self.temperature = temperature
        self._temperature = check_number(temperature, owner, "temperature", low=1e-6)
        self.num_return_sequences = check_int(num_return_sequences, owner, "num_return_sequences", low=1)
        self.max_new_tokens = (
            None if max_new_tokens is None else check_int(max_new_tokens, owner, "max_new_tokens", low=1)
        )
        self.length_ratio = length_ratio
        self._length_ratio = check_number(length_ratio, owner, "length_ratio", low=0.1)
        self.cache_size = check_int(cache_size, owner, "cache_size", low=0)
        self.lean_decoding = check_bool(lean_decoding, owner, "lean_decoding")
        self.quantize = check_choice(quantize, owner, "quantize", (None, "int8"))
        if quantize is not None and self.device != "cpu":
            raise InvalidParameterError(f"{owner}: quantize={quantize!r} needs device='cpu', got {device!r}",
                                        owner=owner, param="quantize")
        self._cache: OrderedDict[tuple[int, str, int | None], str] = OrderedDict()

    # ------------------------------------------------------------------ protocol
    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"seed": int(rng.integers(2**63))}

    def apply_text(self, value: str, params: dict[str, Any], sample: Sample) -> str:
        """Kernel for ``text`` fields (one row; :meth:`apply_batch` is the batched path)."""
        return self.translate([value], [row_seeds(_seed(params, self.name), 0)])[0]

    def apply_caption(self, value: str, params: dict[str, Any], sample: Sample) -> str:
        """Kernel for ``caption`` fields."""
        return self.apply_text(value, params, sample)

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return self.apply_batch([sample], [params])[0]

    def apply_batch(self, samples: list[Sample], params_list: list[dict[str, Any]]) -> list[Sample]:
        """All text fields of all samples go through the model together, in length-sorted batches."""
        rows: list[tuple[int, str]] = []
        texts: list[str] = []
        seeds: list[tuple[int, int]] = []
        for n, (sample, params) in enumerate(zip(samples, params_list)):
            seed = _seed(params, self.name)
            keys = [k for k, kind in sample.kinds.items() if kind in TEXT_KINDS]
            for i, key in enumerate(keys):
                value = sample[key]
                if not isinstance(value, str):
                    raise AugmentationError(f"expected a str, got {type(value).__name__}", step=self.name, field=key)
                rows.append((n, key))
                texts.append(value)
                seeds.append(row_seeds(seed, i))
        try:
            outs = self.translate(texts, seeds) if texts else []
        except MultiaugError:
            raise
        except Exception as exc:  # a model failure: report it with the step
            field = rows[0][1] if len(rows) == 1 else None
            raise AugmentationError(f"{type(exc).__name__}: {exc}", step=self.name, field=field) from exc
        updates: list[dict[str, Any]] = [{} for _ in samples]
        for (n, key), out in zip(rows, outs):
            updates[n][key] = out
        return [s.derive(Updates(u)) if u else s for s, u in zip(samples, updates)]

    # ------------------------------------------------------------------ translation
    def translate(self, texts: list[str], seeds: list[tuple[int, int]] | None = None) -> list[str]:
        """Back-translate ``texts``; ``seeds`` (forward, backward) per text are needed when sampling.

        Leading and trailing whitespace is kept; blank texts come back unchanged.
        """
        if seeds is None:
            if self.do_sample:
                raise InvalidParameterError(f"{self.name}: translate() needs seeds when do_sample=True")
            seeds = [(0, 0)] * len(texts)
        cores = [t.strip() for t in texts]
        todo = [i for i, c in enumerate(cores) if c]
        pivot = self._run(0, self.forward_model, [cores[i] for i in todo], [seeds[i][0] for i in todo])
        back = self._run(1, self.backward_model, pivot, [seeds[i][1] for i in todo])
        out = list(texts)
        for i, b in zip(todo, back):
            t = texts[i]
            lead = t[: len(t) - len(t.lstrip())]
            trail = t[len(t.rstrip()):]
            out[i] = lead + b + trail
        return out

    def augment(self, texts: list[str], n: int | None = None, seed: int | None = None) -> list[list[str]]:
        """Up to ``n`` (default ``num_return_sequences``) distinct paraphrases of each text, in one batched run.

        Paraphrases equal to the input are dropped; with ``do_sample=False`` there is at most one.
        """
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise InvalidParameterTypeError(f"{self.name}: texts must be a list of str", owner=self.name,
                                            param="texts")
        n = self.num_return_sequences if n is None else check_int(n, self.name, "n", low=1)
        rng = np.random.default_rng(seed)
        copies = n if self.do_sample else 1
        flat = [t for t in texts for _ in range(copies)]
        seeds = [row_seeds(int(rng.integers(2**63)), 0) for _ in flat]
        outs = self.translate(flat, seeds)
        result = []
        for k, t in enumerate(texts):
            uniq = dict.fromkeys(o for o in outs[k * copies : (k + 1) * copies] if o != t)
            result.append(list(uniq))
        return result

    def _run(self, stage: int, model_name: str, texts: list[str], seeds: list[int]) -> list[str]:
        if not texts:
            return []
        sampling = self.do_sample
        keys = [(stage, t, s if sampling else None) for t, s in zip(texts, seeds)]
        results: dict[tuple[int, str, int | None], str] = {}
        missing: dict[tuple[int, str, int | None], None] = {}
        for k in keys:
            hit = self._cache.get(k)
            if hit is not None:
                results[k] = hit
                self._cache.move_to_end(k)
            else:
                missing[k] = None
        if missing:
            todo = list(missing)
            outs = self._generate(model_name, [k[1] for k in todo], [k[2] for k in todo], strict=stage == 0)
            for k, o in zip(todo, outs):
                results[k] = o
                if self.cache_size:
                    self._cache[k] = o
                    if len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return [results[k] for k in keys]

    def _generate(self, model_name: str, texts: list[str], seeds: list[int | None], strict: bool) -> list[str]:
        import torch

        model, tokenizer = load_model(model_name, "seq2seq", self.device, self.dtype, self.name, self.quantize)
        start_len = 1  # the decoder start token
        ids = tokenizer(texts, truncation=False)["input_ids"]
        limit = getattr(tokenizer, "model_max_length", None) or 512
        limit = min(limit, getattr(model.config, "max_position_embeddings", limit) or limit)
        for k, (t, seq) in enumerate(zip(texts, ids)):
            if len(seq) > limit and not strict:
                ids[k] = seq[: limit - 1] + seq[-1:]  # our own pivot text: keep the end-of-sentence token
            elif len(seq) > limit:
                raise AugmentationError(
                    f"a text of {len(seq)} tokens is longer than the model's limit of {limit} tokens; "
                    f"split it into sentences first (text starts {t[:40]!r})",
                    step=self.name,
                )
        # The decoder's positions include its start token.
        out_limit = max(1, (getattr(model.config, "max_position_embeddings", None) or 512) - start_len)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]), reverse=True)
        out: list[str] = [""] * len(texts)
        eos = model.generation_config.eos_token_id
        eos = eos[0] if isinstance(eos, (list, tuple)) else eos
        if eos is None:
            eos = tokenizer.eos_token_id
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
        device = model.device
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                width = max(len(ids[i]) for i in idx)
                input_ids = torch.full((len(idx), width), pad, dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for r, i in enumerate(idx):
                    seq = ids[i]
                    if tokenizer.padding_side == "left":
                        input_ids[r, width - len(seq):] = torch.tensor(seq)
                        mask[r, width - len(seq):] = 1
                    else:
                        input_ids[r, : len(seq)] = torch.tensor(seq)
                        mask[r, : len(seq)] = 1
                caps = [int(self._length_ratio * len(ids[i])) + 10 for i in idx]
                if self.max_new_tokens is not None:
                    caps = [min(c, self.max_new_tokens) for c in caps]
                caps = [min(c, out_limit) for c in caps]
                row_seeds_ = [int(seeds[i]) for i in idx] if self.do_sample else None
                rows_ids = self._decode_batch(model, input_ids.to(device), mask.to(device), caps, row_seeds_, eos)
                decoded = tokenizer.batch_decode(rows_ids, skip_special_tokens=True)
                for i, d in zip(idx, decoded):
                    out[i] = d.strip()
        return out

    def _decode_batch(self, model: Any, input_ids: Any, mask: Any, caps: list[int], seeds: list[int] | None,
                      eos: int) -> list[list[int]]:
        """Token ids of one padded batch (decoder start token first): the lean loop where it applies,
        else ``model.generate`` (see :func:`~multiaug.text.decoding.lean_unsupported_reason`)."""
        import torch

        device = model.device
        if self.lean_decoding and lean_unsupported_reason(model, self.num_beams) is None:
            sampler = None if seeds is None else RowSampler(torch, seeds, self._top_p, self._temperature, device)
            start = model.generation_config.decoder_start_token_id
            if start is None:
                start = model.config.decoder_start_token_id
            return [[start, *row] for row in lean_decode(model, input_ids, mask, caps, sampler)]
        from transformers import LogitsProcessorList

        control = _RowControl(torch, caps, seeds, self._top_p, self._temperature, eos, self.num_beams, 1, device)
        generated = model.generate(
            input_ids=input_ids,
            attention_mask=mask,
            num_beams=self.num_beams,
            do_sample=False,
            max_new_tokens=max(caps),
            logits_processor=LogitsProcessorList([control]),
            num_return_sequences=1,
        )
        return generated.tolist()


def _seed(params: dict[str, Any], step: str) -> int:
    seed = params.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise AugmentationError(f"params need an integer 'seed', got {seed!r}", step=step)
    return seed
