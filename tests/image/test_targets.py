"""Masks, boxes and keypoints stay consistent with the image under every geometric step; formats; bad input."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug import image as I
from multiaug.image.targets import boxes_to_mask, keypoints_visible

GEOMETRIC = [
    I.HorizontalFlip(p=1),
    I.VerticalFlip(p=1),
    I.RandomRotate90(p=1),
    I.Transpose(p=1),
    I.Rotate(limit=(90, 90), p=1),
    I.Rotate(limit=(-180, 180), p=1),
    I.Affine(scale=(0.8, 1.2), translate_percent=0.1, rotate=(-20, 20), shear=(-10, 10), p=1),
    I.Perspective(scale=(0.05, 0.1), p=1),
    I.ElasticTransform(p=1),
    I.RandomCrop(100, 120, p=1),
    I.CenterCrop(100, 120, p=1),
    I.RandomResizedCrop((96, 128), scale=(0.3, 1.0), p=1),
    I.Resize(75, 190),
    I.Pad(padding=(5, 6, 7, 8)),
    I.RandAugment(num_ops=3, magnitude=12),
    I.TrivialAugmentWide(),
]
_IDS = [type(s).__name__ + str(i) for i, s in enumerate(GEOMETRIC)]


def _boxes():
    return np.array([[30.0, 20.0, 80.0, 70.0], [100.0, 60.0, 150.0, 110.0], [160.0, 10.0, 200.0, 40.0]])


@pytest.mark.parametrize("step", GEOMETRIC, ids=_IDS)
def test_mask_boxes_keypoints_follow_the_image(step, chelsea):
    h, w = chelsea.shape[:2]
    boxes = _boxes()
    mask = boxes_to_mask(boxes, h, w).astype(np.uint8)
    # keypoints at pixel centres inside each box, and the image marks the mask in its red channel
    kps = np.array([[55.5, 45.5], [125.5, 85.5], [180.5, 25.5]])
    image = chelsea.copy()
    image[..., 0] = np.where(mask > 0, 255, 0)
    pipe = ma.Pipeline([step], seed=4)
    for index in range(4):
        out = pipe(
            {"image": image, "mask": mask, "bboxes": boxes, "bbox_labels": [1, 2, 3], "keypoints": kps}, index=index
        )
        m, img = out["mask"], out["image"]
        assert m.shape == img.shape[:2]
        # the mask and the image moved together (nearest vs linear: compare away from edges)
        if not isinstance(step, (I.RandAugment, I.TrivialAugmentWide)):  # their colour ops change the marks
            marked = img[..., 0] > 200
            agree = (marked == (m > 0)).mean()
            assert agree > 0.97, agree
        # each surviving box is the tight box of its mask region (rotations make it larger, never smaller)
        oh, ow = m.shape
        for box, label in zip(out["bboxes"], out["bbox_labels"]):
            ys, xs = np.nonzero(m == label)
            if len(xs) < 20:
                continue
            tol = 2.5
            assert box[0] <= xs.min() + tol and box[2] >= xs.max() + 1 - tol, (box, xs.min(), xs.max())
            assert box[1] <= ys.min() + tol and box[3] >= ys.max() + 1 - tol
            assert 0 <= box[0] <= box[2] <= ow and 0 <= box[1] <= box[3] <= oh
        # keypoints on mask pixels stay on them (flag mode keeps every point)
        assert len(out["keypoints"]) == 3
        vis = keypoints_visible(out["keypoints"], m.shape)
        for (x, y), label, v in zip(out["keypoints"], [1, 2, 3], vis):
            if v:
                y0, y1 = int(max(y - 1.5, 0)), int(min(y + 2.5, oh))
                x0, x1 = int(max(x - 1.5, 0)), int(min(x + 2.5, ow))
                assert (m[y0:y1, x0:x1] == label).any(), (x, y, label)


def test_rotated_box_is_tight_box_of_rotated_corners():
    img = np.zeros((100, 100, 3), np.uint8)
    out = ma.Pipeline([I.Rotate(limit=(45, 45), p=1)], seed=0)(image=img, bboxes=[[40, 40, 60, 60]], bbox_labels=[0])
    half = 10 * np.sqrt(2)
    assert np.allclose(out["bboxes"][0], [50 - half, 50 - half, 50 + half, 50 + half])


@pytest.mark.parametrize(
    ("fmt", "boxes"),
    [("pascal_voc", [[10, 20, 50, 60, 7]]), ("coco", [[10, 20, 40, 40, 7]]), ("yolo", [[0.3, 0.4, 0.4, 0.4, 7]])],
)
def test_box_formats_and_extra_columns(fmt, boxes):
    img = np.zeros((100, 100), np.uint8)
    pipe = ma.Pipeline([I.HorizontalFlip(p=1)], seed=0, field_options={"bbox_format": fmt})
    out = pipe(image=img, bboxes=boxes)
    expected = {"pascal_voc": [50, 20, 90, 60, 7], "coco": [50, 20, 40, 40, 7], "yolo": [0.7, 0.4, 0.4, 0.4, 7]}[fmt]
    assert np.allclose(out["bboxes"][0], expected)


def test_dropped_boxes_take_their_labels_and_labels_stay_ints():
    img = np.zeros((100, 100, 3), np.uint8)
    boxes = [[0, 0, 20, 20], [60, 60, 100, 100], [40, 0, 60, 10]]
    pipe = ma.Pipeline([I.CenterCrop(50, 50)], seed=0, field_options={"min_visibility": 0.3})
    out = pipe(image=img, bboxes=boxes, bbox_labels=[1, 2, 3])
    # box 1 and box 3 fall outside the crop, box 2 keeps 15x15 of 40x40 (< 30%)
    assert out["bbox_labels"] == [] and out["bboxes"].shape == (0, 4)
    out = ma.Pipeline([I.CenterCrop(80, 80)], seed=0)(image=img, bboxes=boxes, bbox_labels=np.array([1, 2, 3]))
    # box 3 ends exactly on the crop's top edge: no area left, dropped with its label
    assert out["bbox_labels"].dtype.kind == "i" and out["bbox_labels"].tolist() == [1, 2]
    assert np.allclose(out["bboxes"], [[0, 0, 10, 10], [50, 50, 80, 80]])


def test_min_area_drops_small_boxes():
    img = np.zeros((100, 100), np.uint8)
    pipe = ma.Pipeline([I.CenterCrop(50, 50)], seed=0, field_options={"min_area": 50})
    out = pipe(image=img, bboxes=[[20, 20, 30, 30], [30, 30, 70, 70]], bbox_labels=["a", "b"])
    assert out["bbox_labels"] == ["b"]


def test_keypoints_flagged_or_dropped():
    img = np.zeros((100, 100), np.uint8)
    kps = [[10, 10, 0.5], [50, 50, 1.5]]
    out = ma.Pipeline([I.CenterCrop(40, 40)], seed=0)(image=img, keypoints=kps, keypoint_labels=["a", "b"])
    assert out["keypoints"].tolist() == [[-20, -20, 0.5], [20, 20, 1.5]]  # kept, extra column kept
    assert keypoints_visible(out["keypoints"], (40, 40)).tolist() == [False, True]
    drop = ma.Pipeline([I.CenterCrop(40, 40)], seed=0, field_options={"keypoint_mode": "drop"})
    out = drop(image=img, keypoints=kps, keypoint_labels=["a", "b"])
    assert out["keypoints"].tolist() == [[20, 20, 1.5]] and out["keypoint_labels"] == ["b"]


@pytest.mark.parametrize("step", [I.Rotate(p=1), I.ColorJitter(p=1), I.GaussianBlur(p=1)])
def test_bad_input(step):
    pipe = ma.Pipeline([step], seed=0)
    img = np.zeros((20, 20, 3), np.uint8)
    with pytest.raises(ma.AugmentationError):
        pipe(image=np.zeros((0, 5, 3), np.uint8))
    with pytest.raises(ma.AugmentationError):
        pipe(image=np.full((5, 5, 3), np.nan, np.float32))
    with pytest.raises(ma.AugmentationError) as info:
        pipe(image=img, bboxes=[[10, 2, 5, 8]])
    assert info.value.field == "bboxes" and "x2 < x1" in str(info.value)
    with pytest.raises(ma.AugmentationError):
        ma.Pipeline([step], seed=0, field_options={"bbox_format": "coco"})(image=img, bboxes=[[1, 1, -3, 2]])
    with pytest.raises(ma.AugmentationError) as info:
        pipe(image=img, mask=np.zeros((19, 20), np.uint8))
    assert info.value.field == "mask"


def test_colour_step_on_non_rgb_raises():
    for img in (np.zeros((8, 8), np.uint8), np.zeros((8, 8, 2), np.uint8), np.zeros((8, 8, 5), np.float32)):
        for step in (I.ColorJitter(p=1), I.Grayscale(p=1)):
            with pytest.raises(ma.AugmentationError, match="RGB"):
                ma.Pipeline([step], seed=0)(image=img)


def test_rgba_keeps_alpha_and_many_channels_work(coffee):
    rgba = np.concatenate([coffee, np.full(coffee.shape[:2] + (1,), 77, np.uint8)], axis=2)
    out = ma.Pipeline([I.ColorJitter(p=1), I.Grayscale(p=1)], seed=0)(rgba)
    assert out.shape == rgba.shape and (out[..., 3] == 77).all()
    six = np.concatenate([coffee, coffee[..., ::-1]], axis=2)
    for step in (
        I.Rotate(p=1, fill=list(range(6))),
        I.Pad(padding=3, fill=9),
        I.RandomBrightnessContrast(p=1),
        I.GaussianNoise(p=1),
        I.GaussianBlur(p=1),
        I.ElasticTransform(p=1),
    ):
        out = ma.Pipeline([step], seed=0)(six)
        assert out.shape[2] == 6 and out.dtype == np.uint8
    out = ma.Pipeline([I.Rotate(limit=(90, 90), p=1, fill=list(range(6)))], seed=0)(six)
    assert out[0, 0].tolist() == [0, 1, 2, 3, 4, 5]


def test_masks_of_any_dtype():
    for dtype in (np.bool_, np.int64, np.uint8, np.int32):
        mask = np.zeros((30, 40), dtype)
        mask[5:15, 10:20] = 1
        for step in (I.Rotate(limit=(90, 90), p=1), I.Resize(15, 20), I.ElasticTransform(p=1), I.Pad(2)):
            out = ma.Pipeline([step], seed=0)(image=np.zeros((30, 40), np.uint8), mask=mask)
            assert out["mask"].dtype == mask.dtype and set(np.unique(out["mask"]).tolist()) <= {0, 1}


def test_pil_and_torch_round_trip(photo):
    from PIL import Image

    pil = Image.fromarray(photo["image"])
    for step in (I.HorizontalFlip(p=1), I.ColorJitter(p=1), I.Rotate(p=1), I.RandAugment()):
        out = ma.Pipeline([step], seed=0)(pil)
        assert isinstance(out, Image.Image) and out.size == pil.size and out.mode == "RGB"
    torch = pytest.importorskip("torch")
    t = torch.from_numpy(photo["image"].transpose(2, 0, 1).copy())
    out = ma.Pipeline([I.HorizontalFlip(p=1)], seed=0)(t)
    assert isinstance(out, torch.Tensor) and out.shape == t.shape and out.dtype == torch.uint8
    assert torch.equal(out, torch.flip(t, dims=[2]))
    out = ma.Pipeline([I.ColorJitter(p=1), I.Affine(p=1)], seed=0)(t.float() / 255)
    assert out.dtype == torch.float32 and out.shape == t.shape
