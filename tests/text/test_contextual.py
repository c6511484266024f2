"""Masked-LM substitution on a tiny random-weight BERT built locally (tests/text/tiny_models.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import multiaug as ma
from multiaug import text as T
from multiaug.text.tokenize import Tokens

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

SENTENCES = [
    "The dog likes the house today.",
    "A cat did not see 5 red cars near the park.",
    "My friend reads a good book again.",
    "Our teacher helps.",
]


def _cs(models: dict[str, str], **kw: Any) -> T.ContextualSubstitution:
    return T.ContextualSubstitution(model=models["mlm"], device="cpu", **kw)


def test_replaces_the_right_number_of_words_in_batches(tiny_models: dict[str, str]) -> None:
    from multiaug.text.models import load_model

    model, _ = load_model(tiny_models["mlm"], "masked-lm", "cpu", "auto", "test")
    calls = []
    orig = model.forward

    def forward(*a: Any, **kw: Any) -> Any:
        calls.append(tuple(kw["input_ids"].shape))
        return orig(*a, **kw)

    model.forward = forward
    try:
        outs = ma.Pipeline([_cs(tiny_models, alpha=0.3, batch_size=3)], seed=0).batch([{"text": s} for s in SENTENCES])
    finally:
        del model.forward
    assert [c[0] for c in calls] == [3, 1]
    for s, o in zip(SENTENCES, outs):
        before, after = Tokens.from_text(s).strings(), Tokens.from_text(o["text"]).strings()
        assert len(before) == len(after)
        changed = sum(a != b for a, b in zip(before, after))
        assert 1 <= changed <= max(1, int(0.3 * len(before)))
        assert all(b == a or b.lower() not in {"not", "5", "the", "a"} for a, b in zip(after, before))


def test_protection_case_and_spans(tiny_models: dict[str, str]) -> None:
    pipe = ma.Pipeline([_cs(tiny_models, alpha=1.0)], seed=0)
    text = "Houses near Mary did not sell 42 Books."
    for i in range(5):
        out = pipe({"text": text, "spans": [[12, 16]]}, index=i)
        words = Tokens.from_text(out["text"]).strings()
        assert words[2] == "Mary" and "not" in words and "42" in words
        assert words[0][0].isupper() and words[-1][0].isupper()  # replacements take the case
        s, e = out["spans"][0]
        assert out["text"][s:e] == "Mary"


def test_replay_and_diversity(tiny_models: dict[str, str]) -> None:
    pipe = ma.Pipeline([_cs(tiny_models, alpha=0.5)], seed=3)
    samples = [{"text": s} for s in SENTENCES]
    outs, records = pipe.batch(samples, return_records=True)
    for s, o, r in zip(samples, outs, records):
        assert pipe.replay(json.loads(json.dumps(r)), s) == o
    variants = pipe.variants({"text": SENTENCES[0]}, n=4)
    assert len({v["text"] for v in variants}) == 4


def test_odd_inputs(tiny_models: dict[str, str]) -> None:
    pipe = ma.Pipeline([_cs(tiny_models, alpha=0.5)], seed=0)
    for t in ["", "!!", "42", "not", "a"]:
        assert pipe(t) == t


def test_bad_arguments() -> None:
    for kw in ({"alpha": 2}, {"top_k": 0}, {"model": 3}, {"device": "x"}, {"stopwords": "the"}):
        with pytest.raises(ValueError):
            T.ContextualSubstitution(**kw)
