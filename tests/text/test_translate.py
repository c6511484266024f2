"""Back-translation on a tiny random-weight MarianMT model built locally (tests/text/tiny_models.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import multiaug as ma
from multiaug import text as T
from multiaug.text.models import ModelNotAvailableError

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

SENTENCES = [
    "The dog likes the house today.",
    "A cat sees a red car.",
    "My friend reads a good book again.",
    "The children build the garden near the park in the morning.",
    "Our teacher helps.",
]


def _bt(models: dict[str, str], **kw: Any) -> T.BackTranslation:
    return T.BackTranslation(forward_model=models["marian"], backward_model=models["marian_back"], device="cpu",
                             **kw)


class _Spy:
    """Wraps a step's per-batch decoder to record the shape and length caps of every batch."""

    def __init__(self, step: T.BackTranslation) -> None:
        self.step, self.shapes, self.max_new = step, [], []
        self._orig = step._decode_batch

    def __enter__(self) -> _Spy:
        def decode(model: Any, input_ids: Any, mask: Any, caps: list[int], *args: Any) -> Any:
            self.shapes.append(tuple(input_ids.shape))
            self.max_new.append(max(caps))
            assert torch.is_inference_mode_enabled()
            return self._orig(model, input_ids, mask, caps, *args)

        self.step._decode_batch = decode
        return self

    def __exit__(self, *exc: Any) -> None:
        del self.step._decode_batch


def _model(name: str) -> Any:
    from multiaug.text.models import load_model

    return load_model(name, "seq2seq", "cpu", "auto", "test")


def test_batch_is_length_sorted_with_per_batch_padding(tiny_models: dict[str, str]) -> None:
    bt = _bt(tiny_models, batch_size=2, cache_size=0)
    _, tok = _model(tiny_models["marian"])
    lengths = sorted((len(tok(s)["input_ids"]) for s in SENTENCES), reverse=True)
    with _Spy(bt) as spy:
        outs = ma.Pipeline([bt], seed=0).batch([{"text": s} for s in SENTENCES])
    assert [o["text"] for o in outs] != SENTENCES
    # Forward pass: 3 batches of the length-sorted inputs, each padded to its own longest row.
    assert [s[0] for s in spy.shapes[:3]] == [2, 2, 1]
    assert [s[1] for s in spy.shapes[:3]] == [lengths[0], lengths[2], lengths[4]]
    # The cap follows the input length (1.5 x + 10), not the model's 64-token limit.
    assert spy.max_new[:3] == [min(63, int(1.5 * lengths[i]) + 10) for i in (0, 2, 4)]


def test_batched_call_equals_replay_and_single_calls(tiny_models: dict[str, str]) -> None:
    pipe = ma.Pipeline([_bt(tiny_models, batch_size=3, cache_size=0)], seed=1)
    samples = [{"text": s, "label": i} for i, s in enumerate(SENTENCES)]
    outs, records = pipe.batch(samples, indices=list(range(5)), return_records=True)
    fresh = ma.Pipeline([_bt(tiny_models, batch_size=3, cache_size=0)], seed=1)
    for i, (s, o, r) in enumerate(zip(samples, outs, records)):
        assert o["label"] == i
        assert fresh.replay(json.loads(json.dumps(r)), s) == o  # a lone row gives the batched row's output
        assert fresh(s, index=i) == o  # and so does the unbatched call with the same index


def test_sampling_gives_diverse_variants_and_beam_search_does_not(tiny_models: dict[str, str]) -> None:
    pipe = ma.Pipeline([_bt(tiny_models)], seed=0)
    variants = pipe.variants({"text": SENTENCES[0]}, n=4)
    assert len({v["text"] for v in variants}) == 4
    beam = _bt(tiny_models, do_sample=False, num_beams=2)
    outs = {ma.Pipeline([beam], seed=0)(SENTENCES[0], index=i) for i in range(3)}
    assert len(outs) == 1
    many = _bt(tiny_models, num_return_sequences=3).augment(SENTENCES[:2], seed=0)
    assert [len(m) for m in many] == [3, 3] and all(len(set(m)) == 3 for m in many)
    assert _bt(tiny_models, do_sample=False).augment(SENTENCES[:1], n=3, seed=0)[0].__len__() <= 1


def test_variants_reach_the_batched_path(tiny_models: dict[str, str]) -> None:
    bt = _bt(tiny_models, batch_size=32, cache_size=0)
    with _Spy(bt) as spy:
        ma.Pipeline([bt], seed=0).variants({"text": SENTENCES[1]}, n=6)
    assert spy.shapes[0][0] == 6  # all six candidates in one forward batch


def test_cache_and_whitespace(tiny_models: dict[str, str]) -> None:
    bt = _bt(tiny_models, do_sample=False)
    first = bt.translate(["  A cat sees a red car.\n", "", "   "])
    assert first[0].startswith("  ") and first[0].endswith("\n") and first[1:] == ["", "   "]
    with _Spy(bt) as spy:
        assert bt.translate(["A cat sees a red car."]) == [first[0].strip()]
    assert spy.shapes == [], "the second call is served from the cache"


def test_caption_and_transcript(tiny_models: dict[str, str]) -> None:
    transcript = {"text": "hello", "words": []}
    out = ma.Pipeline([_bt(tiny_models)], seed=0)({"caption": SENTENCES[0], "transcript": transcript})
    assert out["caption"] != SENTENCES[0] and out["transcript"] == transcript


def test_max_new_tokens_caps_every_row(tiny_models: dict[str, str]) -> None:
    bt = _bt(tiny_models, max_new_tokens=4, cache_size=0)
    _, tok = _model(tiny_models["marian_back"])
    out = ma.Pipeline([bt], seed=0)(SENTENCES[3])
    assert len(tok(out)["input_ids"]) <= 4 + 2


def test_too_long_text_is_refused(tiny_models: dict[str, str]) -> None:
    with pytest.raises(ma.AugmentationError, match="longer than the model's limit"):
        ma.Pipeline([_bt(tiny_models)], seed=0)({"text": " ".join(["house"] * 200)})


def test_unavailable_model_says_how_to_fetch(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    step = T.BackTranslation(forward_model="Helsinki-NLP/opus-mt-xx-yy", device="cpu")
    with pytest.raises(ModelNotAvailableError) as info:
        ma.Pipeline([step], seed=0)("hello there")
    msg = str(info.value)
    assert "huggingface-cli download Helsinki-NLP/opus-mt-xx-yy" in msg and "save_pretrained" in msg


def test_bad_arguments() -> None:
    for kw in ({"top_p": 0}, {"temperature": 0}, {"batch_size": 0}, {"device": "tpu"}, {"dtype": "int8"},
               {"forward_model": ""}, {"do_sample": 1}):
        with pytest.raises(ValueError):
            T.BackTranslation(**kw)


def test_nucleus_and_rejection_sampling_stay_in_the_nucleus() -> None:
    from multiaug.text.translate import _nucleus, _RowControl

    probs = torch.tensor([[0.05, 0.5, 0.15, 0.3]])
    assert _nucleus(torch, probs, 0.75).tolist() == [[False, True, False, True]]
    flat = torch.full((1, 1000), 1e-3)  # nucleus beyond the top 128: the bisection path
    assert int(_nucleus(torch, flat, 0.5).sum()) >= 500
    logp = probs.log().repeat(64, 1)
    control = _RowControl(torch, [99] * 64, list(range(64)), 0.75, 1.0, eos=0, num_beams=1, start_len=1,
                          device="cpu")
    picks = control(torch.zeros((64, 1), dtype=torch.long), logp.clone()).argmax(dim=-1).tolist()
    assert set(picks) == {1, 3}
    again = _RowControl(torch, [99] * 64, list(range(64)), 0.75, 1.0, eos=0, num_beams=1, start_len=1,
                        device="cpu")
    assert again(torch.zeros((64, 1), dtype=torch.long), logp.clone()).argmax(dim=-1).tolist() == picks
    capped = _RowControl(torch, [1] * 2, [0, 1], 0.8, 1.0, eos=0, num_beams=1, start_len=1, device="cpu")
    assert capped(torch.zeros((2, 1), dtype=torch.long), logp[:2].clone()).argmax(dim=-1).tolist() == [0, 0]
