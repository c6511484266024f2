"""Contextual word substitution with a masked language model (BERT-style), batched.

Words are chosen as in EDA (``max(1, int(alpha * n_words))`` per text, never stopwords or
protected tokens), replaced by the model's mask token, and filled in one forward pass per batch
of texts; each filled word is drawn from the model's ``top_k`` whole-word predictions (the
original word excluded) in proportion to their probabilities, from the seed in the step's
parameters, and takes the case of the word it replaces. Spans are kept as in every text step
(:mod:`multiaug.text.base`).

Example (needs a local model; not run here):
    import multiaug as ma
    from multiaug import text as T
    pipe = ma.Pipeline([T.ContextualSubstitution(model="/models/bert-base-uncased", alpha=0.15)], seed=0)
    outs = pipe.batch([{"text": s} for s in sentences])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError, InvalidParameterTypeError
from multiaug.core.params import check_int, check_number
from multiaug.core.registry import register
from multiaug.text.base import EditJob, TextStep
from multiaug.text.eda import STOPWORDS, n_changes
from multiaug.text.models import check_device_and_dtype, load_model
from multiaug.text.tokenize import match_case

__all__ = ["ContextualSubstitution"]


@register
class ContextualSubstitution(TextStep):
    """Replaces words by a masked language model's in-context predictions (batched fill-mask).

    Args:
        model: A fill-mask model: a local folder or a Hugging Face id already in the cache.
        alpha: Fraction of the words to replace, in [0, 1].
        top_k: Number of whole-word predictions to draw from.
        device: ``"auto"`` (GPU if available), ``"cpu"``, ``"cuda"`` ...
        dtype: ``"auto"`` (bf16/fp16 on GPU, fp32 on CPU), ``"float32"``, ``"float16"``, ``"bfloat16"``.
        batch_size: Texts per forward pass.
        stopwords: Words never replaced; None for the built-in English list.
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.
    """

    def __init__(
        self,
        model: str = "bert-base-uncased",
        alpha: float = 0.1,
        top_k: int = 10,
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int = 32,
        stopwords: Sequence[str] | None = None,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(protect, protect_regex, protect_negations, protect_numbers, spans_key, p)
        owner = self.name
        if not isinstance(model, str) or not model:
            raise InvalidParameterTypeError(
                f"{owner}: model must be a model folder or a Hugging Face model id, got {model!r}",
                owner=owner,
                param="model",
            )
        self.model = model
        self.alpha = alpha
        self._alpha = check_number(alpha, owner, "alpha", low=0.0, high=1.0)
        self.top_k = check_int(top_k, owner, "top_k", low=1)
        self.device, self.dtype = check_device_and_dtype(device, dtype, owner)
        self.batch_size = check_int(batch_size, owner, "batch_size", low=1)
        if stopwords is not None and (isinstance(stopwords, str) or not all(isinstance(w, str) for w in stopwords)):
            raise InvalidParameterTypeError(
                f"{owner}: stopwords must be a list of words or None, got {stopwords!r}", owner=owner,
                param="stopwords",
            )
        self.stopwords = list(stopwords) if stopwords is not None else None
        self._stop = frozenset(w.lower() for w in stopwords) if stopwords is not None else STOPWORDS

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        self.edit_batch([EditJob(tokens, protection, rng, params)])

    def edit_batch(self, jobs: list[EditJob]) -> None:
        """Choose the words of every text, then fill all masks in length-sorted batches."""
        plans: list[tuple[EditJob, list[int]]] = []
        for job in jobs:
            words = job.tokens.words
            eligible = [
                i
                for i in job.protection.free()
                if words[i].text.isalpha() and len(words[i].text) > 1 and words[i].text.lower() not in self._stop
            ]
            todo = min(n_changes(self._alpha, len(job.tokens)), len(eligible))
            if todo:
                picks = sorted(job.rng.sample(eligible, todo))
                plans.append((job, picks))
        if not plans:
            return
        import torch

        model, tokenizer = load_model(self.model, "masked-lm", self.device, self.dtype, self.name)
        mask_id = tokenizer.mask_token_id
        if mask_id is None:
            raise AugmentationError(f"model {self.model!r} has no mask token: it is not a fill-mask model",
                                    step=self.name)
        masked_texts = []
        for job, picks in plans:
            masked = job.tokens.copy()
            for i in picks:
                masked.words[i] = type(masked.words[i])(tokenizer.mask_token, -1)
            masked_texts.append(masked.text())
        ids = tokenizer(masked_texts, truncation=False)["input_ids"]
        limit = min(getattr(tokenizer, "model_max_length", 512) or 512,
                    getattr(model.config, "max_position_embeddings", 512) or 512)
        for (_, picks), seq in zip(plans, ids):
            if len(seq) > limit:
                raise AugmentationError(
                    f"a text of {len(seq)} tokens is longer than the model's limit of {limit}; split it first",
                    step=self.name,
                )
            if sum(1 for t in seq if t == mask_id) != len(picks):
                raise AugmentationError("the tokenizer split a mask token; use a standard fill-mask model",
                                        step=self.name)
        vocab_ok = self._whole_word_table(tokenizer, model.config.vocab_size)
        order = sorted(range(len(plans)), key=lambda k: len(ids[k]), reverse=True)
        pad = tokenizer.pad_token_id or 0
        device = model.device
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                width = max(len(ids[k]) for k in idx)
                input_ids = torch.full((len(idx), width), pad, dtype=torch.long)
                attn = torch.zeros((len(idx), width), dtype=torch.long)
                for r, k in enumerate(idx):
                    input_ids[r, : len(ids[k])] = torch.tensor(ids[k])
                    attn[r, : len(ids[k])] = 1
                logits = model(input_ids=input_ids.to(device), attention_mask=attn.to(device)).logits
                logits = logits.float().masked_fill(~vocab_ok.to(device), float("-inf"))
                want = min(self.top_k + 1, int(vocab_ok.sum()))
                for r, k in enumerate(idx):
                    positions = (input_ids[r] == mask_id).nonzero().flatten().tolist()
                    top = torch.topk(logits[r, positions], want, dim=-1)
                    self._fill(plans[k], tokenizer, top.values.cpu().numpy(), top.indices.cpu().numpy())

    def _fill(self, plan: tuple[EditJob, list[int]], tokenizer: Any, values: np.ndarray, indices: np.ndarray) -> None:
        job, picks = plan
        for row, i in enumerate(picks):
            original = job.tokens.words[i].text
            cands: list[tuple[str, float]] = []
            for v, t in zip(values[row], indices[row]):
                word = tokenizer.convert_ids_to_tokens(int(t))
                if word.lower() != original.lower() and np.isfinite(v):
                    cands.append((word, float(v)))
            cands = cands[: self.top_k]
            if not cands:
                continue
            logit = np.array([c[1] for c in cands])
            prob = np.exp(logit - logit.max())
            prob /= prob.sum()
            choice = int(np.searchsorted(np.cumsum(prob), job.rng.random() * prob.sum(), side="right"))
            choice = min(choice, len(cands) - 1)
            job.tokens.replace(i, match_case(cands[choice][0], original))

    def _whole_word_table(self, tokenizer: Any, vocab_size: int) -> Any:
        """A boolean mask over the vocabulary: alphabetic whole-word tokens (no ##pieces, no specials)."""
        cached = self.__dict__.get("_vocab_ok")
        if cached is not None and cached[0] is tokenizer:
            return cached[1]
        import torch

        special = set(tokenizer.all_special_ids)
        ok = torch.zeros(vocab_size, dtype=torch.bool)
        for tok, i in tokenizer.get_vocab().items():
            if i < vocab_size and i not in special and tok.isalpha() and len(tok) > 1:
                ok[i] = True
        self.__dict__["_vocab_ok"] = (tokenizer, ok)
        return ok
