from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.errors import InvalidParameterError
from multiaug.data.torch import AugmentedDataset


def _pipe():
    return ma.Pipeline([ma.build({"name": "testaug.Suffix"})], seed=7)


def test_items_depend_on_index_and_epoch_only():
    data = [{"text": f"row {i}", "label": i} for i in range(6)]
    ds = AugmentedDataset(data, _pipe())
    first = [ds[i] for i in range(6)]
    assert [ds[i] for i in reversed(range(6))] == list(reversed(first))  # order does not matter
    assert ds[-1] == first[5]
    assert first[2] == _pipe()(data[2], index=2, epoch=0)
    ds.set_epoch(1)
    second = [ds[i] for i in range(6)]
    assert all(a["text"] != b["text"] for a, b in zip(first, second))
    assert all(a["label"] == b["label"] for a, b in zip(first, second))
    ds.set_epoch(0)
    assert [ds[i] for i in range(6)] == first
    assert data[0] == {"text": "row 0", "label": 0}  # the wrapped data is not modified


def test_to_and_from_sample_and_bad_arguments():
    ds = AugmentedDataset(
        [("a cat", 1)], _pipe(), to_sample=lambda t: {"text": t[0], "label": t[1]}, from_sample=lambda s: s["text"]
    )
    assert ds[np.int64(0)].startswith("a cat ")
    with pytest.raises(InvalidParameterError):
        ds.set_epoch(-1)
    with pytest.raises(InvalidParameterError):
        AugmentedDataset([], "not a pipeline")


def test_dataloader_workers_give_the_same_items():
    torch = pytest.importorskip("torch")  # the torch extra; the wrapper itself does not need it
    from torch.utils.data import DataLoader

    data = [{"image": np.full((4, 4, 3), i, np.uint8), "label": i} for i in range(8)]
    pipe = ma.Pipeline([ma.build({"name": "testaug.Shade"})], seed=1)
    ds = AugmentedDataset(data, pipe, from_sample=lambda s: (torch.from_numpy(s["image"]), s["label"]))
    ds.set_epoch(2)
    direct = torch.stack([ds[i][0] for i in range(8)])
    loader = DataLoader(ds, batch_size=3, num_workers=2, multiprocessing_context="fork")
    loaded = torch.cat([batch[0] for batch in loader])
    assert torch.equal(direct, loaded)
