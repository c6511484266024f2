"""The lean decoding loop against ``model.generate`` on tiny random-weight MarianMT models built here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from multiaug import text as T

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

from multiaug.text.decoding import RowSampler, lean_decode, lean_unsupported_reason  # noqa: E402
from multiaug.text.translate import _RowControl  # noqa: E402
from multiaug.text.vocab_projection import vocab_projection  # noqa: E402
from tests.text.tiny_models import build_marian, sentences  # noqa: E402


def _fresh(folder: str) -> tuple[Any, Any]:
    """A private copy of a model (tests below change its generation config)."""
    from transformers import AutoTokenizer, MarianMTModel

    return MarianMTModel.from_pretrained(folder, local_files_only=True).eval(), AutoTokenizer.from_pretrained(folder)


@pytest.fixture(scope="module")
def ending_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A tiny model whose end-of-sentence logit is raised, so that sampled rows end at different steps."""
    return str(build_marian(Path(tmp_path_factory.mktemp("eos")) / "m", seed=3, eos_bias=0.17))


def _batch(tok: Any, n: int = 12, seed: int = 5) -> tuple[Any, Any]:
    enc = tok(sentences(n, seed), padding=True, return_tensors="pt")
    return enc["input_ids"], enc["attention_mask"]


def _generate(model: Any, ids: Any, mask: Any, caps: list[int], seeds: list[int] | None = None,
              top_p: float = 0.9) -> list[list[int]]:
    """``model.generate`` with the step's logits processor; each row's new tokens up to its end token."""
    eos = model.generation_config.eos_token_id
    control = _RowControl(torch, caps, seeds, top_p, 1.0, eos, 1, 1, "cpu")
    from transformers import LogitsProcessorList

    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=mask, num_beams=1, do_sample=False,
                             max_new_tokens=max(caps), logits_processor=LogitsProcessorList([control]))
    rows = []
    for row in out[:, 1:].tolist():
        rows.append(row[: row.index(eos) + 1] if eos in row else row)
    return rows


def _lean(model: Any, ids: Any, mask: Any, caps: list[int], seeds: list[int] | None = None,
          top_p: float = 0.9) -> list[list[int]]:
    sampler = None if seeds is None else RowSampler(torch, seeds, top_p, 1.0, "cpu")
    with torch.inference_mode():
        return lean_decode(model, ids, mask, caps, sampler)


def test_greedy_equals_generate_with_rows_ending_at_their_own_caps(tiny_models: dict[str, str]) -> None:
    model, tok = _fresh(tiny_models["marian"])
    ids, mask = _batch(tok)
    caps = [3, 30, 7, 12, 12, 1, 25, 9, 30, 4, 18, 2]  # rows leave the running batch at different steps
    assert vocab_projection(model.lm_head) is not model.lm_head  # the loop's NumPy projection is what runs
    ours = _lean(model, ids, mask, caps)
    assert ours == _generate(model, ids, mask, caps)
    assert [len(r) for r in ours] == caps and all(r[-1] == model.generation_config.eos_token_id for r in ours)
    # The generation config is honoured as generate honours it: banned tokens, renormalised scores.
    model.generation_config.bad_words_ids = [[ours[1][0]], [ours[1][1]]]
    model.generation_config.renormalize_logits = True
    assert lean_unsupported_reason(model, 1) is None
    banned = _lean(model, ids, mask, caps)
    assert banned == _generate(model, ids, mask, caps) and banned != ours
    assert not {ours[1][0], ours[1][1]} & {t for r in banned for t in r}


def test_greedy_equals_generate_when_the_model_ends_rows_itself(ending_model: str) -> None:
    model, tok = _fresh(ending_model)
    ids, mask = _batch(tok, n=16, seed=2)
    caps = [40] * 16
    ours = _lean(model, ids, mask, caps)
    assert ours == _generate(model, ids, mask, caps)
    assert all(r[-1] == model.generation_config.eos_token_id for r in ours)


def test_sampling_equals_generate_is_reproducible_and_row_independent(ending_model: str) -> None:
    model, tok = _fresh(ending_model)
    ids, mask = _batch(tok, n=16, seed=4)
    caps = [40] * 8 + [6] * 8
    seeds = [1000 + i for i in range(16)]
    ours = _lean(model, ids, mask, caps, seeds)
    assert len({len(r) for r in ours}) > 3, "rows should end at many different steps"
    assert ours == _generate(model, ids, mask, caps, seeds)  # the same sampler inside generate
    assert ours == _lean(model, ids, mask, caps, seeds)  # reproducible
    for r in (0, 5, 11):  # a row alone (a replay) gives its batched tokens
        alone = _lean(model, ids[r : r + 1, : int(mask[r].sum())], mask[r : r + 1, : int(mask[r].sum())],
                      [caps[r]], [seeds[r]])
        assert alone == [ours[r]]
    other = _lean(model, ids, mask, caps, [s + 1 for s in seeds])
    assert sum(a != b for a, b in zip(ours, other)) > 8
    assert _lean(model, ids, mask, caps, seeds, top_p=1.0) == _generate(model, ids, mask, caps, seeds, top_p=1.0)


def _reference_pick(logp: Any, gens: list[Any], top_p: float) -> list[int]:
    """The sampler written plainly, one row at a time (the definition RowSampler must match)."""

    def gumbel(g: Any) -> Any:
        u = torch.rand(logp.shape[1], generator=g).clamp_(min=1e-20, max=1.0 - 1e-7)
        return -torch.log(-torch.log(u))

    out = []
    probs = logp.exp()
    for r, g in enumerate(gens):
        choice = int((logp[r] + gumbel(g)).argmax())
        for _ in range(1000):
            if float((probs[r] * (probs[r] > probs[r, choice])).sum()) < top_p:
                break
            choice = int((logp[r] + gumbel(g)).argmax())
        else:
            choice = int(logp[r].argmax())
        out.append(choice)
    return out


@pytest.mark.parametrize("vocab", [7, 100, 1003])
def test_row_sampler_equals_the_plain_per_row_definition(vocab: int) -> None:
    gen = torch.Generator().manual_seed(vocab)
    scores = torch.randn(24, vocab, generator=gen) * 3
    scores[::5, 0] = float("-inf")  # banned tokens
    fast = RowSampler(torch, list(range(24)), 0.8, 1.0, "cpu")
    plain = RowSampler(torch, list(range(24)), 0.8, 1.0, "cpu")
    for _ in range(3):  # the generators stay in step over several draws
        assert fast.pick(scores, list(range(24))).tolist() == _reference_pick(plain.log_probs(scores), plain.gens, 0.8)
    assert fast.pick(scores[5:9], [5, 6, 7, 8]).tolist() == _reference_pick(
        plain.log_probs(scores[5:9]), plain.gens[5:9], 0.8)


def test_beam_search_and_unknown_options_fall_back_to_generate(tiny_models: dict[str, str]) -> None:
    model, tok = _fresh(tiny_models["marian"])
    assert lean_unsupported_reason(model, 1) is None
    assert "beam" in lean_unsupported_reason(model, 2)
    assert lean_unsupported_reason(object(), 1) == "not a MarianMTModel"
    model.generation_config.repetition_penalty = 1.3
    assert "repetition_penalty" in lean_unsupported_reason(model, 1)
    from transformers import GenerationConfig

    model.generation_config.repetition_penalty = GenerationConfig().repetition_penalty
    model.generation_config.bad_words_ids = [[5, 6]]
    assert "multi-token" in lean_unsupported_reason(model, 1)

    from multiaug.text.models import load_model

    shared, _ = load_model(tiny_models["marian"], "seq2seq", "cpu", "auto", "test")
    calls = []
    orig = shared.generate

    def spy(*args: Any, **kw: Any) -> Any:
        calls.append(kw["num_beams"])
        return orig(*args, **kw)

    shared.generate = spy
    try:
        bt = T.BackTranslation(forward_model=tiny_models["marian"], backward_model=tiny_models["marian_back"],
                               device="cpu", do_sample=False, cache_size=0)
        greedy = bt.translate(["A cat sees a red car."])
        assert calls == []  # greedy takes the lean loop
        bt.num_beams = 2
        beams = bt.translate(["A cat sees a red car."])
        assert calls == [2] and isinstance(beams[0], str) and greedy[0]
    finally:
        del shared.generate


def test_int8_quantisation_is_an_explicit_cpu_only_opt_in(tiny_models: dict[str, str]) -> None:
    from multiaug.text.models import load_model

    with pytest.raises(ValueError, match="quantize"):
        T.BackTranslation(quantize="int4")
    with pytest.raises(ValueError, match="device='cpu'"):
        T.BackTranslation(quantize="int8", device="cuda")
    kw = dict(forward_model=tiny_models["marian"], backward_model=tiny_models["marian_back"], device="cpu",
              do_sample=False, cache_size=0)
    texts = sentences(6, 9)
    q = T.BackTranslation(quantize="int8", **kw)
    out = q.translate(texts)
    assert out == q.translate(texts) and all(isinstance(o, str) for o in out)  # deterministic for one batch
    model, _ = load_model(tiny_models["marian"], "seq2seq", "cpu", "auto", "test", "int8")
    float_model, _ = load_model(tiny_models["marian"], "seq2seq", "cpu", "auto", "test")
    assert model is not float_model and type(model.lm_head).__module__.startswith("torch.ao.nn.quantized")
    assert type(float_model.lm_head) is torch.nn.Linear  # the shared float model is left as it was
    x = torch.randn(4, float_model.config.d_model, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        exact, approx = float_model.lm_head(x), model.lm_head(x)
    assert not torch.equal(exact, approx) and torch.allclose(exact, approx, atol=0.05)  # close, not equal
