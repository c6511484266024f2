from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import multiaug as ma
from tests.core.steps import AppendWord, Brighten

ROOT = Path(__file__).resolve().parents[2]


def make_pipe(seed: int = 0) -> ma.Pipeline:
    return ma.Pipeline([Brighten(p=0.7), ma.OneOf([AppendWord(), AppendWord(words=["q", "r"])])], seed=seed)


def sample() -> dict:
    return {"image": np.full((6, 6, 3), 100, np.uint8), "text": "t", "label": 1}


def same(a: dict, b: dict) -> bool:
    return a["text"] == b["text"] and np.array_equal(a["image"], b["image"])


def test_same_seed_and_index_give_identical_output_another_index_differs() -> None:
    a, b = make_pipe(), make_pipe()
    outs = [a(sample(), index=i) for i in range(6)]
    assert all(same(o, b(sample(), index=i)) for i, o in enumerate(outs))
    assert any(not same(outs[0], o) for o in outs[1:])
    # Order of calls does not matter with an index.
    assert same(b(sample(), index=5), outs[5]) and same(b(sample(), index=0), outs[0])


def test_epoch_changes_the_draw_and_seed_matters() -> None:
    pipe = make_pipe()
    by_epoch = [pipe(sample(), index=3, epoch=e) for e in range(6)]
    assert any(not same(by_epoch[0], o) for o in by_epoch[1:])
    other = make_pipe(seed=1)
    assert any(not same(pipe(sample(), index=i), other(sample(), index=i)) for i in range(6))


def test_calls_without_index_advance_the_stream_reproducibly() -> None:
    a, b = make_pipe(), make_pipe()
    seq_a = [a(sample()) for _ in range(8)]
    seq_b = [b(sample()) for _ in range(8)]
    assert all(same(x, y) for x, y in zip(seq_a, seq_b))
    assert any(not same(seq_a[0], o) for o in seq_a[1:])


def test_unseeded_pipelines_differ_but_each_replays() -> None:
    a, b = ma.Pipeline([Brighten()]), ma.Pipeline([Brighten()])
    outs_a = [a(sample(), index=i)["image"][0, 0, 0] for i in range(5)]
    outs_b = [b(sample(), index=i)["image"][0, 0, 0] for i in range(5)]
    assert outs_a != outs_b


def test_no_global_rng_is_touched() -> None:
    import random

    np_state = np.random.get_state()[1].copy()
    py_state = random.getstate()
    make_pipe()(sample())
    make_pipe()(sample(), index=2)
    assert np.array_equal(np.random.get_state()[1], np_state)
    assert random.getstate() == py_state


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_processes_draw_different_augmentations() -> None:
    pipe = make_pipe()
    pipe(sample())  # the parent has used its stream before forking
    results = []
    for _ in range(3):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: draw a few augmentations without an index and send them back
            try:
                texts = [pipe(sample())["text"] + str(pipe(sample())["image"][0, 0, 0]) for _ in range(6)]
                os.write(write, json.dumps(texts).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as fh:
            results.append(json.loads(fh.read()))
        os.waitpid(pid, 0)
    assert results[0] != results[1] and results[1] != results[2] and results[0] != results[2]


def test_dataloader_workers_do_not_change_per_index_outputs() -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader, Dataset

    class Augmented(Dataset):
        def __init__(self) -> None:
            self.pipe = make_pipe(seed=9)

        def __len__(self) -> int:
            return 12

        def __getitem__(self, i: int):  # type: ignore[no-untyped-def]
            out = self.pipe(sample(), index=i)
            return torch.from_numpy(out["image"].copy()), out["text"]

    def collect(workers: int) -> list:
        loader = DataLoader(Augmented(), batch_size=None, num_workers=workers, shuffle=False)
        return [(img.numpy().tolist(), text) for img, text in loader]

    assert collect(0) == collect(2)


def test_replay_from_json_in_a_fresh_process(tmp_path: Path) -> None:
    pipe = make_pipe(seed=21)
    out, record = pipe(sample(), index=4, return_record=True)
    (tmp_path / "record.json").write_text(json.dumps(record))
    pipe.save(tmp_path / "pipe.yaml")
    script = textwrap.dedent(
        f"""
        import json, sys
        import numpy as np
        sys.path.insert(0, {str(ROOT)!r})
        import multiaug as ma
        import tests.core.steps  # registers the testing steps
        pipe = ma.load({str(tmp_path / 'pipe.yaml')!r})
        record = json.load(open({str(tmp_path / 'record.json')!r}))
        s = {{"image": np.full((6, 6, 3), 100, np.uint8), "text": "t", "label": 1}}
        out = pipe.replay(record, s)
        print(json.dumps({{"text": out["text"], "image": out["image"].tolist()}}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    replayed = json.loads(result.stdout)
    assert replayed["text"] == out["text"]
    assert np.array_equal(np.array(replayed["image"], np.uint8), out["image"])


def _draw_texts(pipe: ma.Pipeline) -> list[str]:
    return [pipe("s") for _ in range(6)]


def test_spawned_workers_given_a_pickled_pipeline_draw_differently() -> None:
    import multiprocessing

    pipe = ma.Pipeline([AppendWord(), AppendWord(), AppendWord()], seed=5)
    here = _draw_texts(pipe)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        there = pool.map(_draw_texts, [pipe, pipe, pipe])
    runs = [here, *there]
    assert len({tuple(r) for r in runs}) == len(runs)


def test_a_pipeline_copied_in_the_same_process_continues_the_same_stream() -> None:
    import copy

    pipe = make_pipe(seed=8)
    pipe(sample())
    twin = copy.deepcopy(pipe)
    assert all(same(pipe(sample()), twin(sample())) for _ in range(5))
