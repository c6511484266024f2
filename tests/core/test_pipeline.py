from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from tests.core.steps import AppendWord, Brighten, DropFirstBox, Explode, ShiftRight


def image(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 200, size=(12, 16, 3), dtype=np.uint8)


def test_call_forms_return_what_was_given() -> None:
    pipe = ma.Pipeline([AppendWord(words=["x"])], seed=0)
    assert pipe("hi") == "hi x"
    assert pipe({"text": "hi", "label": 2}) == {"text": "hi x", "label": 2}
    assert pipe(text="hi", label=2) == {"text": "hi x", "label": 2}
    out = ma.Pipeline([Brighten(limit=(10, 10))], seed=0)(image())
    assert isinstance(out, np.ndarray) and out.dtype == np.uint8


def test_unknown_fields_pass_through_as_the_same_object() -> None:
    meta = {"id": 7}
    out = ma.Pipeline([AppendWord()], seed=0)({"text": "a", "meta": meta})
    assert out["meta"] is meta


def test_fields_mapping_gives_kinds_to_other_names() -> None:
    pipe = ma.Pipeline([AppendWord(words=["y"])], seed=0, fields={"title": "text"})
    assert pipe({"title": "t", "body": "b"}) == {"title": "t y", "body": "b"}
    with pytest.raises(ValueError, match="fields"):
        ma.Pipeline([], fields={"title": "novel"})


def test_pil_in_pil_out_and_torch_in_torch_out() -> None:
    from PIL import Image

    pipe = ma.Pipeline([Brighten(limit=(20, 20))], seed=0)
    pil = Image.fromarray(image())
    out = pipe(pil)
    assert isinstance(out, Image.Image) and out.size == pil.size and out.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(out), np.clip(image().astype(int) + 20, 0, 255))

    torch = pytest.importorskip("torch")
    t = torch.from_numpy(image().transpose(2, 0, 1).copy())
    out_t = pipe({"image": t})["image"]
    assert isinstance(out_t, torch.Tensor) and out_t.shape == t.shape and out_t.dtype == torch.uint8
    np.testing.assert_array_equal(out_t.numpy().transpose(1, 2, 0), np.clip(image().astype(int) + 20, 0, 255))


def test_sequential_oneof_someof_nest() -> None:
    pipe = ma.Pipeline(
        [
            ma.Sequential([AppendWord(words=["a"]), AppendWord(words=["b"])]),
            ma.OneOf([AppendWord(words=["c"]), AppendWord(words=["d"])], weights=[1, 0]),
            ma.SomeOf([AppendWord(words=[w]) for w in "efg"], n=2, keep_order=True),
        ],
        seed=0,
    )
    for i in range(20):
        words = pipe("s", index=i).split()
        assert words[:4] == ["s", "a", "b", "c"]
        assert len(words) == 6 and words[4] < words[5] and set(words[4:]) <= {"e", "f", "g"}


def test_oneof_weights_are_respected() -> None:
    pipe = ma.Pipeline([ma.OneOf([AppendWord(words=["x"]), AppendWord(words=["y"])], weights=[3, 1])], seed=1)
    draws = [pipe("s", index=i)[-1] for i in range(2000)]
    share = draws.count("x") / len(draws)
    assert 0.7 < share < 0.8


def test_someof_without_replacement_and_range() -> None:
    steps = [AppendWord(words=[w]) for w in "abcd"]
    pipe = ma.Pipeline([ma.SomeOf(steps, n=(1, 3))], seed=2)
    counts = set()
    for i in range(200):
        extra = pipe("s", index=i).split()[1:]
        assert len(extra) == len(set(extra))
        counts.add(len(extra))
    assert counts == {1, 2, 3}


def test_probability_is_respected() -> None:
    pipe = ma.Pipeline([AppendWord(words=["x"], p=0.3)], seed=3)
    fired = sum(pipe("s", index=i) != "s" for i in range(3000))
    assert 0.27 < fired / 3000 < 0.33


def test_container_validation() -> None:
    with pytest.raises(ValueError, match="weights"):
        ma.OneOf([ma.Identity()], weights=[1, 2])
    with pytest.raises(ValueError, match="must not all be zero"):
        ma.OneOf([ma.Identity()], weights=[0])
    with pytest.raises(ValueError, match="n must lie within"):
        ma.SomeOf([ma.Identity()], n=3)
    with pytest.raises(TypeError, match=r"steps\[1\]"):
        ma.Sequential([ma.Identity(), "flip"])


def test_geometry_step_without_mask_rule_refuses_to_leave_mask_stale() -> None:
    sample = {"image": image(), "mask": np.zeros((12, 16), np.uint8)}
    with pytest.raises(ma.AugmentationError) as info:
        ma.Pipeline([ShiftRight()], seed=0)(sample)
    assert info.value.step == "testing.ShiftRight" and info.value.field == "mask"
    # Without the dependent field it works, and non-geometric steps leave masks alone.
    assert ma.Pipeline([ShiftRight()], seed=0)({"image": image()})["image"].shape == (12, 16, 3)
    assert ma.Pipeline([Brighten()], seed=0)(sample)["mask"] is not None


def test_kernels_can_update_sibling_fields() -> None:
    out = ma.Pipeline([DropFirstBox()])({"bboxes": [[0, 0, 2, 2], [1, 1, 3, 3]], "bbox_labels": [5, 6]})
    assert out["bbox_labels"] == [6]
    np.testing.assert_array_equal(out["bboxes"], [[1, 1, 3, 3]])


def test_errors_name_step_and_field() -> None:
    with pytest.raises(ma.AugmentationError) as info:
        ma.Pipeline([Explode()])("boom")
    assert info.value.step == "testing.Explode" and info.value.field == "text"
    assert "ZeroDivisionError: deep failure" in str(info.value)
    with pytest.raises(ma.AugmentationError, match="uint8 or float32"):
        ma.Pipeline([Brighten()])(image().astype(np.int64))
    with pytest.raises(ma.AugmentationError, match="mask is 3x3"):
        ma.Pipeline([Brighten()])({"image": image(), "mask": np.zeros((3, 3), np.uint8)})
    with pytest.raises(ma.AugmentationError, match="sample_rate"):
        ma.Pipeline([])({"audio": np.zeros(10, np.float32)})
    with pytest.raises(ma.AugmentationError, match="NaN"):
        ma.Pipeline([])({"audio": np.array([0, np.nan], np.float32), "sample_rate": 8000})
    with pytest.raises(ma.AugmentationError, match="empty"):
        ma.Pipeline([])({})
    with pytest.raises(ma.AugmentationError, match="labels for"):
        ma.Pipeline([])({"bboxes": [[0, 0, 1, 1]], "bbox_labels": [1, 2]})


def test_int16_audio_is_converted_to_float32() -> None:
    out = ma.Pipeline([])({"audio": np.array([0, 16384, -32768], np.int16), "sample_rate": 8000})
    assert out["audio"].dtype == np.float32
    np.testing.assert_allclose(out["audio"], [0.0, 0.5, -1.0])


def test_batch_matches_single_calls_with_indices() -> None:
    pipe = ma.Pipeline([AppendWord(p=0.5), ma.OneOf([AppendWord(), Brighten()])], seed=4)
    samples = [f"s{i}" for i in range(10)]
    batched = pipe.batch(samples, indices=list(range(10)))
    assert batched == [pipe(s, index=i) for i, s in enumerate(samples)]
    outs, records = pipe.batch(samples, return_records=True)
    assert [pipe.replay(r, s) for r, s in zip(records, samples)] == outs


class CountingBatch(AppendWord):
    calls: list[int] = []

    def apply_batch(self, samples, params_list):  # type: ignore[no-untyped-def]
        CountingBatch.calls.append(len(samples))
        return super().apply_batch(samples, params_list)


def test_batched_kernels_are_reached_through_containers_and_variants() -> None:
    CountingBatch.calls = []
    pipe = ma.Pipeline([ma.Sequential([CountingBatch()]), ma.OneOf([CountingBatch()])], seed=0)
    pipe.batch(["a", "b", "c"])
    assert CountingBatch.calls == [3, 3]
    CountingBatch.calls = []
    pipe.variants("a", n=4)
    assert CountingBatch.calls[:2] == [4, 4]


def test_variants_are_distinct_and_differ_from_input() -> None:
    pipe = ma.Pipeline([AppendWord(), AppendWord()], seed=0)
    outs = pipe.variants("hello", n=10)
    assert len(set(outs)) == 10 and "hello" not in outs
    again = ma.Pipeline([AppendWord(), AppendWord()], seed=0).variants("hello", n=10, index=3)
    assert again == ma.Pipeline([AppendWord(), AppendWord()], seed=0).variants("hello", n=10, index=3)


def test_variants_says_when_impossible_instead_of_looping() -> None:
    pipe = ma.Pipeline([AppendWord(words=["x", "y"])], seed=0)
    with pytest.raises(ma.AugmentationError, match="could only draw 2 distinct variants out of the 3"):
        pipe.variants("s", n=3, max_attempts=50)


def test_repr_shows_non_default_arguments() -> None:
    assert repr(Brighten()) == "Brighten()"
    assert repr(Brighten(limit=(1, 2), p=0.5)) == "Brighten(limit=(1, 2), p=0.5)"


def test_step_alone_is_callable() -> None:
    assert AppendWord(words=["z"])("q") == "q z"
