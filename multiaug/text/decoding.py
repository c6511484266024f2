"""Lean incremental decoding for MarianMT models: greedy or per-row seeded sampling, per-row caps.

:class:`~multiaug.text.translate.BackTranslation` decodes with this loop instead of
``model.generate`` when it can (:func:`lean_unsupported_reason` says when not: beam search, models
other than ``MarianMTModel``, generation options the loop does not implement). It runs the
model's own encoder and the decoder's own weights and layer norms, token by token, and picks the
same tokens as ``generate`` with :class:`RowSampler` as its last logits processor:

* the model's generation config is honoured as ``generate`` honours it: single-token
  ``bad_words_ids`` are banned, ``renormalize_logits`` applies ``log_softmax`` last, any of the
  ``eos_token_id`` values ends a row (a row is forced to end at its own length cap, which also
  subsumes ``forced_eos_token_id``);
* the decoder's self-attention keys and values live in a preallocated cache written in place
  (``generate`` grows its cache by concatenation at every step); the cross-attention keys and
  values are projected once, laid out for the one-query matrix products of decoding;
* rows that have ended leave the running batch (their cache rows are dropped once a quarter
  of the batch has ended), so later steps compute only the rows still running;
* on CPU the vocabulary projection, the largest matrix product of a step, runs through NumPy's
  BLAS (:mod:`multiaug.text.vocab_projection`), and the greedy argmax runs in NumPy, which is many
  times faster than ``torch.argmax`` on a (rows, vocabulary) matrix and returns the same index
  (the first maximum).

What is the same and what is not: the linear layers, layer norms, activations, embeddings and the
encoder are the model's own modules on the same inputs; the vocabulary projection is the same
float32 product through another BLAS on CPU. Attention is computed as
``softmax(q k^T * scale + mask) v`` with matrix products (the model's ``eager`` attention) where
``generate`` would use the model's configured kernel (``sdpa`` by default): mathematically the
same, but the last bits of the logits may differ, so a near-tie between two tokens could in
principle resolve differently (as it could between a padded batch and a lone row, or once ended
rows have left the batch and the matrix products run on fewer rows). The tests check that the
token ids equal ``generate``'s on the locally built models (greedy, with rows ending early and
rows dropped), and that seeded sampling is reproducible, row-independent and equals
``generate`` with the same :class:`RowSampler`; the benchmark checks that both paths give the
same texts on its models.
A model with dynamically quantised linear layers (``BackTranslation(quantize="int8")``) runs
through the same loop.

Example:
    >>> from multiaug.text.decoding import lean_unsupported_reason
    >>> lean_unsupported_reason(object(), num_beams=1)
    'not a MarianMTModel'
"""

from __future__ import annotations

from typing import Any

from multiaug.text.vocab_projection import blas_threads, vocab_projection

__all__ = ["RowSampler", "gumbel_noise", "lean_decode", "lean_unsupported_reason"]

# Generation-config keys the lean loop honours or that cannot matter for it (greedy or our own
# sampling, one sequence per row, num_beams == 1, lengths set by the caller).
_HARMLESS = {
    "decoder_start_token_id", "bos_token_id", "eos_token_id", "pad_token_id", "forced_eos_token_id",
    "bad_words_ids", "renormalize_logits", "max_length", "max_new_tokens", "num_beams", "use_cache",
    "output_attentions", "output_hidden_states", "output_scores", "output_logits", "return_dict_in_generate",
    "transformers_version", "_from_model_config", "do_sample", "temperature", "top_k", "top_p",
    "num_return_sequences", "length_penalty", "early_stopping", "min_length", "min_new_tokens",
}


def lean_unsupported_reason(model: Any, num_beams: int) -> str | None:
    """None when :func:`lean_decode` can decode for ``model``; otherwise why ``generate`` is needed."""
    try:
        from transformers import MarianMTModel
    except ImportError:  # pragma: no cover - transformers is needed to have a model at all
        return "transformers is not installed"
    if not isinstance(model, MarianMTModel):
        return "not a MarianMTModel"
    if num_beams != 1:
        return "beam search (num_beams > 1)"
    if model.training:
        return "the model is in training mode"
    gc = model.generation_config
    extra = sorted(set(gc.to_diff_dict()) - _HARMLESS)
    if extra:
        return f"generation options the lean loop does not implement: {', '.join(extra)}"
    if (gc.min_length or 0) > 0 or (gc.min_new_tokens or 0) > 0:
        return "min_length / min_new_tokens"
    if gc.bad_words_ids is not None and any(len(seq) != 1 for seq in gc.bad_words_ids):
        return "multi-token bad_words_ids"
    if gc.decoder_start_token_id is None and model.config.decoder_start_token_id is None:
        return "no decoder start token"
    return None


def gumbel_noise(torch: Any, gens: list[Any], vocab: int, device: Any) -> Any:
    """Gumbel(0, 1) noise, one row per generator, each row drawn from its own generator.

    Row ``r`` equals ``-log(-log(u))`` of ``u = torch.rand(vocab, generator=gens[r])`` clamped
    to ``[1e-20, 1 - 1e-7]``, computed as a 1-D tensor on its own. The rows are drawn into a
    buffer whose rows are one element longer than the vocabulary, so that the element-wise
    passes run row by row exactly as they would on each 1-D row (a contiguous matrix would be
    processed as one flat array, whose vector/scalar split can change the last bit of a few
    logarithms).
    """
    buf = torch.empty((len(gens), vocab + 1), device=device)
    u = buf[:, :vocab]
    for r, g in enumerate(gens):
        torch.rand(vocab, generator=g, device=device, out=u[r])
    u.clamp_(min=1e-20, max=1.0 - 1e-7)
    torch.log(u, out=u)
    u.neg_()
    torch.log(u, out=u)
    return u.neg_()


class RowSampler:
    """Per-row seeded sampling: temperature, then top-p, drawn by the Gumbel-max trick.

    Row ``r`` draws from its own ``torch.Generator`` (seeded with ``seeds[r]``), so a row's tokens
    depend only on its own logits and seed, never on the other rows of its batch: a batched call
    and the replay of one record agree. A Gumbel-max draw is redrawn until it lies in the row's
    top-p nucleus (a token lies in it when the tokens more likely than it hold less than
    ``top_p``); this gives exactly the nucleus-restricted distribution without sorting the
    vocabulary.

    Example:
        >>> import torch
        >>> s = RowSampler(torch, [1, 2], top_p=0.9, temperature=1.0, device="cpu")
        >>> logits = torch.tensor([[0.0, 5.0, 0.0], [5.0, 0.0, 0.0]])
        >>> s.pick(logits, [0, 1]).tolist() in ([1, 0], [1, 1], [0, 0], [2, 0])
        True
    """

    def __init__(self, torch: Any, seeds: list[int], top_p: float, temperature: float, device: Any,
                 num_beams: int = 1) -> None:
        self.torch = torch
        self.top_p = top_p
        self.temperature = temperature
        self.gens = []
        for s in seeds:
            for beam in range(num_beams):
                g = torch.Generator(device=device)
                g.manual_seed((s + beam * 0x9E3779B97F4A7C15) % 2**64)
                self.gens.append(g)

    def log_probs(self, scores: Any) -> Any:
        """Temperature-scaled log-probabilities of processed scores."""
        return self.torch.log_softmax(scores.float() / self.temperature, dim=-1)

    def pick(self, scores: Any, rows: list[int]) -> Any:
        """One token per row of ``scores``; ``rows[i]`` names the generator of row ``i``."""
        torch = self.torch
        logp = self.log_probs(scores)
        gens = [self.gens[r] for r in rows]
        n, vocab = logp.shape
        choice = _argmax(torch, logp + gumbel_noise(torch, gens, vocab, logp.device))
        if self.top_p < 1.0:
            probs = logp.exp()
            fail = self._outside(probs, choice)
            for k in range(1, 1001):  # redraw the rows whose draw fell outside their nucleus
                if not fail:
                    break
                sub = torch.tensor(fail, device=logp.device)
                lp = logp[sub]
                redrawn = _argmax(torch, lp + gumbel_noise(torch, [gens[i] for i in fail], vocab, lp.device))
                if k == 1000:  # practically unreachable: fall back to the most likely token
                    redrawn = lp.argmax(-1)
                choice[sub] = redrawn.to(choice.device)
                fail = [fail[j] for j in self._outside(probs[sub], redrawn)]
        return choice

    def _outside(self, probs: Any, choice: Any) -> list[int]:
        """Positions of the rows whose chosen token lies outside their top-p nucleus."""
        p_choice = probs.gather(1, choice.to(probs.device).unsqueeze(1))
        mass = (probs * (probs > p_choice)).sum(dim=-1)
        return (mass >= self.top_p).nonzero().flatten().tolist()


def _argmax(torch: Any, x: Any) -> Any:
    """``x.argmax(-1)`` (first maximum); through NumPy on CPU, where it is much faster."""
    if x.device.type == "cpu" and x.dtype == torch.float32:
        return torch.as_tensor(x.contiguous().numpy().argmax(-1))
    return x.argmax(-1)


def lean_decode(
    model: Any,
    input_ids: Any,
    attention_mask: Any,
    caps: list[int],
    sampler: RowSampler | None = None,
) -> list[list[int]]:
    """Decode one padded batch; returns each row's new tokens (its final end token included).

    Row ``r`` generates at most ``caps[r]`` tokens, the last of which is forced to be the end
    token. ``sampler`` None means greedy. Call under ``torch.inference_mode()``; check
    :func:`lean_unsupported_reason` first.
    """
    import torch

    with blas_threads(torch.get_num_threads()):  # NumPy's BLAS runs the vocabulary projection
        return _decode(model, input_ids, attention_mask, caps, sampler)


def _decode(
    model: Any,
    input_ids: Any,
    attention_mask: Any,
    caps: list[int],
    sampler: RowSampler | None,
) -> list[list[int]]:
    import torch
    import torch.nn.functional as F

    gc = model.generation_config
    start = gc.decoder_start_token_id if gc.decoder_start_token_id is not None else model.config.decoder_start_token_id
    eos_ids = gc.eos_token_id if isinstance(gc.eos_token_id, (list, tuple)) else [gc.eos_token_id]
    eos_ids = [e for e in eos_ids if e is not None] or [model.config.eos_token_id]
    eos = eos_ids[0]
    banned = sorted({seq[0] for seq in (gc.bad_words_ids or []) if seq[0] not in eos_ids})
    renormalize = bool(gc.renormalize_logits)

    dec = model.model.decoder
    layers = list(dec.layers)
    attn0 = layers[0].self_attn
    heads, dh = attn0.num_heads, attn0.head_dim
    d = heads * dh
    scale = attn0.scaling
    device = input_ids.device
    enc = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask, return_dict=True)[0]
    n, src_len = enc.shape[:2]
    steps = max(caps)

    def ln(mod: Any) -> tuple[Any, Any, Any, float]:
        return mod.normalized_shape, mod.weight, mod.bias, mod.eps

    plan = []
    cross_k, cross_v, self_k, self_v = [], [], [], []
    for layer in layers:
        sa, ca = layer.self_attn, layer.encoder_attn
        # the linear layers are called as modules, so that a quantised copy of the model works too
        plan.append((sa.q_proj, sa.k_proj, sa.v_proj, sa.out_proj, ln(layer.self_attn_layer_norm),
                     ca.q_proj, ca.out_proj, ln(layer.encoder_attn_layer_norm),
                     layer.fc1, layer.fc2, layer.activation_fn, ln(layer.final_layer_norm)))
        # keys as (rows, heads, head_dim, length) so that q @ K needs no transpose copy at each step
        cross_k.append(ca.k_proj(enc).view(n, src_len, heads, dh).permute(0, 2, 3, 1).contiguous())
        cross_v.append(ca.v_proj(enc).view(n, src_len, heads, dh).transpose(1, 2).contiguous())
        self_k.append(torch.empty((n, heads, dh, steps), dtype=enc.dtype, device=device))
        self_v.append(torch.empty((n, heads, steps, dh), dtype=enc.dtype, device=device))
    enc_bias = torch.zeros((n, 1, 1, src_len), dtype=enc.dtype, device=device)
    enc_bias.masked_fill_(attention_mask[:, None, None, :] == 0, float("-inf"))
    positions = dec.embed_positions.weight
    embed, embed_scale = dec.embed_tokens, dec.embed_scale
    project = vocab_projection(model.lm_head)
    logits_bias = model.final_logits_bias

    rows = list(range(n))  # the original row of each running row
    caps_run = list(caps)
    tok = torch.full((n,), start, dtype=torch.long, device=device)
    out: list[list[int]] = [[] for _ in range(n)]
    ended: set[int] = set()  # running-batch positions of rows that ended but were not yet dropped
    for t in range(steps):
        m = tok.shape[0]
        h = embed(tok) * embed_scale + positions[t]
        for i, (q_p, k_p, v_p, o_p, ln1, cq_p, co_p, ln2, fc1, fc2, act, ln3) in enumerate(plan):
            res = h
            q = q_p(h).view(m, heads, 1, dh)
            self_k[i][:, :, :, t] = k_p(h).view(m, heads, dh)
            self_v[i][:, :, t] = v_p(h).view(m, heads, dh)
            w = torch.softmax(torch.matmul(q, self_k[i][:, :, :, : t + 1]) * scale, dim=-1)
            h = o_p(torch.matmul(w, self_v[i][:, :, : t + 1]).reshape(m, d))
            h = F.layer_norm(res + h, *ln1)
            res = h
            q = cq_p(h).view(m, heads, 1, dh)
            w = torch.softmax(torch.matmul(q, cross_k[i]) * scale + enc_bias, dim=-1)
            h = co_p(torch.matmul(w, cross_v[i]).reshape(m, d))
            h = F.layer_norm(res + h, *ln2)
            res = h
            h = fc2(act(fc1(h)))
            h = F.layer_norm(res + h, *ln3)
        scores = project(h)
        scores += logits_bias
        scores = scores.float()
        if banned:
            scores[:, banned] = float("-inf")
        capped = [j for j, c in enumerate(caps_run) if t >= c - 1] if t + 1 >= min(caps_run) else []
        if sampler is not None:
            picked = sampler.pick(scores, rows)
            if capped:
                picked[capped] = eos
        else:
            if capped:
                scores[capped] = float("-inf")
                scores[capped, eos] = 0.0
            if renormalize:
                scores = torch.log_softmax(scores, dim=-1)
            picked = _argmax(torch, scores)
        for j, (r, token) in enumerate(zip(rows, picked.tolist())):
            if j not in ended:
                out[r].append(token)
                if token in eos_ids:
                    ended.add(j)
        if len(ended) == m:
            break
        tok = picked.to(device)
        if len(ended) * 4 >= m:  # drop the ended rows from the running batch
            keep_list = [j for j in range(m) if j not in ended]
            keep = torch.tensor(keep_list, device=device)
            rows = [rows[j] for j in keep_list]
            caps_run = [caps_run[j] for j in keep_list]
            tok, enc_bias = tok[keep], enc_bias[keep]
            cross_k = [x[keep] for x in cross_k]
            cross_v = [x[keep] for x in cross_v]
            self_k = [x[keep] for x in self_k]
            self_v = [x[keep] for x in self_v]
            ended = set()
    return out
