"""Property tests: any nesting of containers replays exactly and batches like single calls."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import multiaug as ma
from tests.core.steps import AppendWord, Brighten

leaves = st.one_of(
    st.builds(AppendWord, p=st.sampled_from([0.0, 0.5, 1.0])),
    st.builds(Brighten, limit=st.integers(0, 60), p=st.sampled_from([0.3, 1.0])),
    st.builds(ma.Identity, p=st.sampled_from([0.5, 1.0])),
)


def containers(children: st.SearchStrategy) -> st.SearchStrategy:
    lists = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        st.builds(ma.Sequential, lists, p=st.sampled_from([0.5, 1.0])),
        st.builds(ma.OneOf, lists),
        lists.flatmap(lambda steps: st.builds(ma.SomeOf, st.just(steps), n=st.integers(0, len(steps)))),
    )


steps_strategy = st.recursive(leaves, containers, max_leaves=8)


def sample() -> dict:
    return {"image": np.full((4, 5, 3), 120, np.uint8), "text": "start", "label": 1}


def equal(a: dict, b: dict) -> bool:
    return a["text"] == b["text"] and np.array_equal(a["image"], b["image"]) and a["label"] == b["label"]


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(steps_strategy, min_size=0, max_size=4), seed=st.integers(0, 2**32), index=st.integers(0, 10**6))
def test_any_pipeline_replays_and_round_trips(steps, seed, index) -> None:  # type: ignore[no-untyped-def]
    pipe = ma.Pipeline(steps, seed=seed)
    out, record = pipe(sample(), index=index, return_record=True)
    assert equal(pipe.replay(json.loads(json.dumps(record)), sample()), out)
    rebuilt = ma.from_dict(json.loads(json.dumps(pipe.to_dict())))
    assert equal(rebuilt(sample(), index=index), out)


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(steps_strategy, min_size=1, max_size=3), seed=st.integers(0, 2**32))
def test_batch_equals_single_calls(steps, seed) -> None:  # type: ignore[no-untyped-def]
    pipe = ma.Pipeline(steps, seed=seed)
    samples = [sample() for _ in range(4)]
    batched = pipe.batch(samples, indices=[0, 1, 2, 3])
    assert all(equal(b, pipe(s, index=i)) for i, (s, b) in enumerate(zip(samples, batched)))
