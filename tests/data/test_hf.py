"""multiaug.data.hf on small in-memory Hugging Face datasets (nothing is downloaded)."""

from __future__ import annotations

import io
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A
from multiaug import image as I
from multiaug import text as T
from multiaug.core.errors import InvalidParameterError, MissingDependencyError
from multiaug.data.hf import map_function, transform


@pytest.fixture
def datasets(monkeypatch, tmp_path):
    """The ``datasets`` module, offline, with its caches in a temporary folder."""
    home = tmp_path / "hf-home"
    for name, value in {
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(home),
        "HF_DATASETS_CACHE": str(home / "datasets"),
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    import datasets as hf_datasets

    # datasets reads its settings when first imported: set them for this test whatever came first
    monkeypatch.setattr(hf_datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr(hf_datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(hf_datasets.config, "HF_CACHE_HOME", str(home))
    monkeypatch.setattr(hf_datasets.config, "HF_DATASETS_CACHE", home / "datasets")
    hf_datasets.disable_progress_bars()
    return hf_datasets


def _image(seed: int, h: int = 6, w: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def _pil(arr: np.ndarray):
    from PIL import Image

    return Image.fromarray(arr)


def _tone(freq: float, n: int = 1600, rate: int = 16000) -> np.ndarray:
    return (0.25 * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


def _wav_files(tmp_path, count: int) -> tuple[list[str], list[np.ndarray]]:
    import soundfile as sf

    paths, clips = [], []
    for i in range(count):
        clip = _tone(220.0 * (i + 1))
        path = tmp_path / f"clip{i}.wav"
        sf.write(path, clip, 16000, subtype="FLOAT")
        paths.append(str(path))
        clips.append(clip)
    return paths, clips


# ----------------------------------------------------------------------------- images and captions
def test_image_and_caption_follow_a_flip(datasets):
    images = [_image(i) for i in range(3)]
    ds = datasets.Dataset.from_dict(
        {
            "image": [_pil(a) for a in images],
            "caption": ["a cat left of a dog", "the left wheel", "nothing spatial"],
            "id": [10, 11, 12],
        },
        features=datasets.Features(
            {"image": datasets.Image(), "caption": datasets.Value("string"), "id": datasets.Value("int64")}
        ),
    )
    ds.set_transform(transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0)))

    row = ds[0]
    assert type(row["image"]).__module__.startswith("PIL.")
    assert np.array_equal(np.asarray(row["image"]), images[0][:, ::-1])
    assert row["caption"] == "a cat right of a dog"
    assert row["id"] == 10

    batch = ds[1:3]
    assert [np.asarray(im).tolist() for im in batch["image"]] == [a[:, ::-1].tolist() for a in images[1:]]
    assert batch["caption"] == ["the right wheel", "nothing spatial"]
    assert batch["id"] == [11, 12]


def test_other_column_names_through_columns(datasets):
    ds = datasets.Dataset.from_dict(
        {"img": [_pil(_image(5))], "desc": ["on the left"], "caption": ["left as it is"]},
        features=datasets.Features(
            {"img": datasets.Image(), "desc": datasets.Value("string"), "caption": datasets.Value("string")}
        ),
    )
    fn = transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0), columns={"img": "image", "desc": "caption",
                                                                              "caption": None})
    out = ds.with_transform(fn)[0]
    assert np.array_equal(np.asarray(out["img"]), _image(5)[:, ::-1])
    assert out["desc"] == "on the right"
    assert out["caption"] == "left as it is"  # mapped to None: kept away from the pipeline
    assert set(out) == {"img", "desc", "caption"}


def test_undecoded_images_are_opened(datasets):
    ds = datasets.Dataset.from_dict({"image": [_pil(_image(1))]}, features=datasets.Features(
        {"image": datasets.Image(decode=False)}))
    out = ds.with_transform(transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0)))[0]
    assert np.array_equal(np.asarray(out["image"]), _image(1)[:, ::-1])


def test_palette_mask_keeps_class_ids_and_palette():
    from PIL import Image

    ids = np.array([[0, 1, 2, 3], [3, 2, 1, 0]], np.uint8)
    mask = Image.fromarray(ids)
    mask.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    assert mask.mode == "P"
    fn = transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0), columns={"seg": "mask"})
    out = fn({"image": [_pil(_image(0, 2, 4))], "seg": [mask]})
    seg = out["seg"][0]
    assert seg.mode == "P" and seg.getpalette()[:12] == mask.getpalette()[:12]
    assert np.array_equal(np.asarray(seg), ids[:, ::-1])


# ----------------------------------------------------------------------------- boxes
def test_box_lists_and_their_per_object_lists_follow_a_crop(datasets):
    features = datasets.Features(
        {
            "image": datasets.Image(),
            "objects": {
                "bbox": datasets.List(datasets.List(datasets.Value("float32"), length=4)),
                "category": datasets.List(datasets.Value("int64")),
                "area": datasets.List(datasets.Value("float32")),
            },
        }
    )
    ds = datasets.Dataset.from_dict(
        {
            "image": [_pil(_image(2, 10, 20))],
            "objects": [
                {"bbox": [[0, 0, 4, 4], [6, 2, 12, 8], [14, 1, 19, 9]], "category": [1, 2, 3], "area": [16, 36, 40]}
            ],
        },
        features=features,
    )
    fn = transform(ma.Pipeline([I.CenterCrop(10, 10)], seed=0), columns={"objects.bbox": "bboxes",
                                                                          "objects.category": "bbox_labels"})
    out = ds.with_transform(fn)[0]
    assert np.asarray(out["image"]).shape == (10, 10, 3)
    objects = out["objects"]
    assert objects["bbox"] == [[1.0, 2.0, 7.0, 8.0], [9.0, 1.0, 10.0, 9.0]]  # box 0 left the image
    assert objects["category"] == [2, 3]
    assert objects["area"] == [36, 40]  # not mapped, cut to the same rows


def test_top_level_box_columns():
    fn = transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0))
    out = fn({"image": [np.zeros((4, 10, 3), np.uint8)], "bboxes": [[[1, 0, 3, 2]]], "bbox_labels": [["cat"]]})
    assert out["bboxes"] == [[[7.0, 0.0, 9.0, 2.0]]]
    assert out["bbox_labels"] == [["cat"]]


# ----------------------------------------------------------------------------- audio
def test_undecoded_audio_files_with_a_gain(datasets, tmp_path):
    paths, clips = _wav_files(tmp_path, 2)
    ds = datasets.Dataset.from_dict({"audio": paths, "label": [0, 1]}).cast_column(
        "audio", datasets.Audio(sampling_rate=16000, decode=False)
    )
    ds.set_transform(transform(ma.Pipeline([A.Gain(gain_db=(6.0, 6.0), p=1.0)], seed=0)))
    batch = ds[0:2]
    assert batch["label"] == [0, 1]
    for value, clip, path in zip(batch["audio"], clips, paths):
        assert set(value) == {"array", "sampling_rate", "path"}
        assert value["array"].dtype == np.float32
        np.testing.assert_allclose(value["array"], clip * 10 ** (6 / 20), rtol=1e-5, atol=1e-7)
        assert value["sampling_rate"] == 16000
        assert value["path"] == path


def test_decoded_audio_dicts_report_a_new_sampling_rate(datasets):
    clip = _tone(440.0)
    ds = datasets.Dataset.from_dict({"audio": [{"array": clip, "sampling_rate": 16000, "path": "a.wav"}]})
    fn = transform(ma.Pipeline([A.Resample(target_rate=8000, p=1.0)], seed=0))
    value = ds.with_transform(fn)[0]["audio"]
    assert set(value) == {"array", "sampling_rate", "path"}
    assert value["sampling_rate"] == 8000 and value["path"] == "a.wav"
    assert value["array"].dtype == np.float32 and value["array"].shape == (800,)


class DecodedAudio:
    """Shaped like the audio object of datasets >= 4: ``obj["array"]``, ``obj["sampling_rate"]``, ``metadata.path``."""

    def __init__(self, clip: np.ndarray, rate: int) -> None:
        self._clip, self._rate = clip, rate
        self.metadata = SimpleNamespace(path="/data/clip.flac")

    def get_all_samples(self):
        raise AssertionError("the adapter reads the documented keys")

    def __getitem__(self, key: str):
        return {"array": self._clip, "sampling_rate": self._rate}[key]


def test_audio_decoder_objects_become_dicts():
    clip = _tone(330.0)
    fn = transform(ma.Pipeline([A.Gain(gain_db=(-6.0, -6.0), p=1.0)], seed=0))
    value = fn({"audio": [DecodedAudio(clip, 16000)]})["audio"][0]
    assert value["path"] == "/data/clip.flac" and value["sampling_rate"] == 16000
    np.testing.assert_allclose(value["array"], clip * 10 ** (-6 / 20), rtol=1e-5, atol=1e-7)


def test_a_field_added_by_a_step_becomes_a_column():
    clips = [{"array": _tone(200.0 * (i + 1)), "sampling_rate": 16000, "path": None} for i in range(6)]
    fn = transform(ma.Pipeline([A.MelSpectrogram(n_mels=16, p=0.5)], seed=2))
    out = fn({"audio": clips, "id": list(range(6))})
    assert list(out) == ["audio", "id", "spectrogram"]
    specs = out["spectrogram"]
    assert any(s is None for s in specs) and any(s is not None for s in specs)  # p=0.5: None where it did not run
    assert all(s.shape[0] == 16 for s in specs if s is not None)
    with pytest.raises(ma.AugmentationError, match="brings its own sampling_rate"):
        fn({"audio": clips[:1], "sample_rate": [16000]})
    with pytest.raises(ma.AugmentationError, match="only one audio column"):
        transform(ma.Pipeline([A.Gain(p=1.0)], seed=0, fields={"voice": "audio"}))(
            {"audio": clips[:1], "voice": clips[:1]}
        )


def test_map_writes_undecoded_audio_back_as_wav_bytes(datasets, tmp_path):
    import soundfile as sf

    paths, clips = _wav_files(tmp_path, 3)
    ds = datasets.Dataset.from_dict({"audio": paths}).cast_column("audio", datasets.Audio(decode=False))
    pipe = ma.Pipeline([A.Gain(gain_db=(-12.0, 12.0), p=1.0)], seed=4)
    out = ds.map(map_function(pipe, epoch=2), batched=True, with_indices=True, batch_size=2)
    assert out.features["audio"] == datasets.Audio(decode=False)
    for i, (clip, path) in enumerate(zip(clips, paths)):
        stored = out[i]["audio"]
        assert stored["path"] == path
        audio, rate = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")
        expected = pipe({"audio": clip, "sample_rate": 16000}, index=i, epoch=2)["audio"]
        assert rate == 16000 and np.array_equal(audio, expected)


# ----------------------------------------------------------------------------- text and pass-through
def test_text_with_eda_and_untouched_columns(datasets):
    sentences = [f"the quick brown fox {i} jumps over the lazy dog near the old river bank" for i in range(6)]
    extra = [{"source": "web", "n": i} for i in range(6)]
    tokens = [s.split()[:3] for s in sentences]
    ds = datasets.Dataset.from_dict({"sentence": sentences, "label": list(range(6)), "meta": extra, "tokens": tokens})
    pipe = ma.Pipeline([T.EDA(alpha_sr=0.3, alpha_ri=0.3, alpha_rs=0.3, p_rd=0.3)], seed=3)
    ds.set_transform(transform(pipe, columns={"sentence": "text"}))
    batch = ds[:]
    assert list(batch) == ["sentence", "label", "meta", "tokens"]
    assert batch["label"] == list(range(6))
    assert batch["meta"] == extra and batch["tokens"] == tokens
    assert all(isinstance(s, str) and s for s in batch["sentence"])
    assert sum(a != b for a, b in zip(batch["sentence"], sentences)) >= 4
    again = ds[:]["sentence"]  # online: every read draws afresh
    assert again != batch["sentence"]


def test_map_function_does_not_depend_on_batch_size(datasets):
    n = 7
    ds = datasets.Dataset.from_dict(
        {
            "text": [f"row {i} has a few words in it" for i in range(n)],
            "image": [_pil(_image(i, 4, 5)) for i in range(n)],
            "id": list(range(n)),
        },
        features=datasets.Features(
            {"text": datasets.Value("string"), "image": datasets.Image(), "id": datasets.Value("int64")}
        ),
    )
    pipe = ma.Pipeline(
        [ma.build({"name": "testaug.Suffix"}), I.HorizontalFlip(p=0.5), I.RandomBrightnessContrast(p=0.8)], seed=11
    )

    def run(**kwargs):
        out = ds.map(map_function(pipe, epoch=1), batched=True, with_indices=True, **kwargs)
        return [(r["text"], np.asarray(r["image"]).tolist(), r["id"]) for r in out]

    by_two = run(batch_size=2)
    assert run(batch_size=5) == by_two
    assert run(batch_size=3, num_proc=2) == by_two
    single = ds.map(map_function(pipe, epoch=1), with_indices=True)  # batched=False works too
    assert [(r["text"], np.asarray(r["image"]).tolist(), r["id"]) for r in single] == by_two
    for i in range(n):
        direct = pipe({"text": ds[i]["text"], "image": np.asarray(ds[i]["image"])}, index=i, epoch=1)
        assert by_two[i][0] == direct["text"] and by_two[i][1] == direct["image"].tolist()
        assert by_two[i][2] == i
    other_epoch = ds.map(map_function(pipe, epoch=2), batched=True, with_indices=True)
    assert [r["text"] for r in other_epoch] != [row[0] for row in by_two]


# ----------------------------------------------------------------------------- errors
def test_a_failing_row_names_its_row_and_column():
    fn = transform(ma.Pipeline([ma.build({"name": "testaug.FailOn"})], seed=0), columns={"sentence": "text"})
    assert fn({"sentence": ["fine", "also fine"]})["sentence"] == ["fine", "also fine"]
    with pytest.raises(ma.AugmentationError) as info:
        fn({"sentence": ["fine", "also fine", "please FAIL here"], "id": [0, 1, 2]})
    err = info.value
    assert err.field == "sentence" and err.step == "testaug.FailOn"
    assert str(err) == "testaug.FailOn, field 'sentence': row 2 of the batch: this text asks to fail"


def test_a_failing_row_in_map_names_its_dataset_index(datasets):
    images = [_pil(_image(i)) for i in range(4)]
    images[2] = images[2].convert("CMYK")
    ds = datasets.Dataset.from_dict({"img": images}, features=datasets.Features({"img": datasets.Image()}))
    assert ds[2]["img"].mode == "CMYK"
    fn = map_function(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0), columns={"img": "image"})
    with pytest.raises(ma.AugmentationError, match=r"row 0 of the batch \(dataset index 2\): PIL image mode") as info:
        ds.map(fn, batched=True, with_indices=True, batch_size=2)
    assert info.value.field == "img"


def test_bad_data_is_reported_with_its_row_and_column():
    fn = transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0), columns={"img": "image"})
    cmyk = _pil(_image(0)).convert("CMYK")
    with pytest.raises(ma.AugmentationError, match=r"row 1 of the batch: PIL image mode 'CMYK'") as info:
        fn({"img": [_pil(_image(0)), cmyk]})
    assert info.value.field == "img"
    audio_fn = transform(ma.Pipeline([A.Gain(p=1.0)], seed=0))
    with pytest.raises(ma.AugmentationError, match="row 0 of the batch: cannot read the audio") as info:
        audio_fn({"audio": [{"bytes": b"not a wav file", "path": None}]})
    assert info.value.field == "audio"
    with pytest.raises(ma.AugmentationError, match="no 'sampling_rate'"):
        audio_fn({"audio": [{"array": np.zeros(4, np.float32), "sampling_rate": None, "path": None}]})
    with pytest.raises(ma.AugmentationError, match="row 0 of the batch: the audio dict has no 'sampling_rate'"):
        audio_fn({"audio": [{"array": np.zeros(4, np.float32)}]})


def test_bad_arguments_and_batches():
    pipe = ma.Pipeline([ma.Identity()], seed=0)
    with pytest.raises(InvalidParameterError, match="pipe must be a multiaug Pipeline"):
        transform(ma.Identity())
    with pytest.raises(InvalidParameterError, match="all map to field 'image'"):
        transform(pipe, columns={"a": "image", "b": "image"})
    with pytest.raises(InvalidParameterError, match="must map column names"):
        transform(pipe, columns=["image"])
    with pytest.raises(InvalidParameterError, match="epoch"):
        map_function(pipe, epoch=-1)
    with pytest.raises(ma.AugmentationError, match="not a column of this batch"):
        transform(pipe, columns={"img": "image"})({"image": [np.zeros((2, 2), np.uint8)]})
    with pytest.raises(ma.AugmentationError, match="both given to the pipeline as field 'image'"):
        transform(pipe, columns={"img": "image"})({"img": [None], "image": [None]})
    with pytest.raises(ma.AugmentationError, match="different lengths"):
        transform(pipe)({"text": ["a", "b"], "label": [1]})
    with pytest.raises(ma.AugmentationError, match="with_indices=True"):
        map_function(pipe)({"text": ["a"]})


def test_missing_datasets_gives_an_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "datasets", None)  # makes `import datasets` fail
    with pytest.raises(MissingDependencyError, match=r"multiaug\[hf\]"):
        transform(ma.Pipeline([ma.Identity()], seed=0))
    with pytest.raises(MissingDependencyError, match=r"multiaug\[hf\]"):
        map_function(ma.Pipeline([ma.Identity()], seed=0))


def test_importing_the_module_does_not_import_datasets():
    code = "import sys, multiaug.data, multiaug.data.hf; print('datasets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
