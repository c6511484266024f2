"""MixUp and CutMix on batches; RandAugment and TrivialAugmentWide records are JSON and replay exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

import multiaug as ma
from multiaug import image as I


def _batch(photo, chelsea):
    a = photo["image"][:150, :226]
    b = chelsea
    return [
        {
            "image": a,
            "label": 0,
            "bboxes": [[10, 10, 60, 60]],
            "bbox_labels": [5],
            "mask": np.ones(a.shape[:2], np.uint8),
        },
        {
            "image": b,
            "label": 2,
            "bboxes": [[100, 50, 200, 140]],
            "bbox_labels": [6],
            "mask": np.full(b.shape[:2], 2, np.uint8),
        },
    ]


def _partnered(pipe, batch, want):
    for index in range(64):
        outs, recs = pipe.batch(batch, indices=[2 * index, 2 * index + 1], return_records=True)
        params = recs[0]["steps"][0]["params"]
        if params["partner"] == want:
            return outs, params
    raise AssertionError("no draw paired the samples")


def test_mixup_blends_and_mixes_labels(photo, chelsea):
    batch = _batch(photo, chelsea)
    outs, params = _partnered(ma.Pipeline([I.MixUp(num_classes=3)], seed=0), batch, 1)
    lam = params["lam"]
    ref = lam * batch[0]["image"].astype(float) + (1 - lam) * batch[1]["image"]
    assert np.abs(outs[0]["image"] - ref).max() <= 1
    assert np.allclose(outs[0]["label"], [lam, 0, 1 - lam])
    assert outs[0]["bboxes"].tolist() == [[10, 10, 60, 60], [100, 50, 200, 140]] and outs[0]["bbox_labels"] == [5, 6]


def test_cutmix_pastes_region_masks_boxes_and_area_label(photo, chelsea):
    batch = _batch(photo, chelsea)
    outs, params = _partnered(ma.Pipeline([I.CutMix(num_classes=3)], seed=1), batch, 1)
    x1, y1, x2, y2 = params["box"]
    out = outs[0]
    assert np.array_equal(out["image"][y1:y2, x1:x2], batch[1]["image"][y1:y2, x1:x2])
    outside = np.ones(out["mask"].shape, bool)
    outside[y1:y2, x1:x2] = False
    assert np.array_equal(out["image"][outside], batch[0]["image"][outside])
    assert (out["mask"][y1:y2, x1:x2] == 2).all() and (out["mask"][outside] == 1).all()
    own = 1 - (x2 - x1) * (y2 - y1) / out["mask"].size
    assert params["lam"] == pytest.approx(own)
    assert np.allclose(out["label"], [own, 0, 1 - own])
    # the sample's box stays unless fully hidden; the partner's box is clipped to the pasted region
    for box, label in zip(out["bboxes"], out["bbox_labels"]):
        if label == 6:
            assert x1 <= box[0] <= box[2] <= x2 and y1 <= box[1] <= box[3] <= y2
        else:
            assert box.tolist() == [10, 10, 60, 60]
    hidden = x1 <= 10 and y1 <= 10 and x2 >= 60 and y2 >= 60
    assert (5 in out["bbox_labels"]) == (not hidden)


def test_mix_needs_num_classes_and_same_shapes(photo, chelsea):
    batch = _batch(photo, chelsea)
    with pytest.raises(ma.AugmentationError, match="num_classes"):
        ma.Pipeline([I.MixUp()], seed=0).batch(batch)
    odd = [batch[0], {**batch[1], "image": chelsea[:100], "mask": np.zeros((100, 226), np.uint8)}]
    with pytest.raises(ma.AugmentationError, match="same-shaped"):
        for i in range(20):
            ma.Pipeline([I.CutMix(num_classes=3)], seed=i).batch(odd)


def test_mix_batch_is_deterministic_per_index(photo, chelsea):
    batch = _batch(photo, chelsea)
    pipe = ma.Pipeline([I.CutMix(num_classes=3)], seed=3)
    a = pipe.batch(batch, indices=[4, 5])
    b = pipe.batch(batch, indices=[4, 5])
    assert all(np.array_equal(x["image"], y["image"]) and np.array_equal(x["label"], y["label"]) for x, y in zip(a, b))


@pytest.mark.parametrize("policy", [I.RandAugment(num_ops=3, magnitude=20), I.TrivialAugmentWide()])
def test_policies_replay_from_json(policy, photo):
    pipe = ma.Pipeline([policy], seed=0)
    sample = {"image": photo["image"], "bboxes": photo["bboxes"], "bbox_labels": photo["bbox_labels"]}
    seen = set()
    for index in range(12):
        out, rec = pipe(sample, index=index, return_record=True)
        rec = json.loads(json.dumps(rec))
        again = pipe.replay(rec, sample)
        assert np.array_equal(again["image"], out["image"]) and np.array_equal(again["bboxes"], out["bboxes"])
        seen.update(op["op"] for op in rec["steps"][0]["params"]["ops"])
    assert len(seen) >= 5


def test_randaugment_magnitude_scales_rotation():
    step = I.RandAugment(num_ops=1, magnitude=30)
    entry = step._draw_op("Rotate", 30, np.random.default_rng(0), (10, 10))
    assert abs(entry["params"]["angle"]) == pytest.approx(30.0)
    assert I.RandAugment(magnitude=0)._draw_op("Posterize", 0, np.random.default_rng(0), (10, 10))["params"] == {
        "bits": 8
    }
    with pytest.raises(ValueError):
        I.RandAugment(magnitude=31)
