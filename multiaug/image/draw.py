"""Pictures for people: boxes and keypoints drawn on an image, and contact sheets of steps.

:func:`draw_targets` draws pascal_voc boxes (with labels) and keypoints on a copy of an image.
:func:`contact_sheet` runs every given step (or every registered image step) on one photograph
with its boxes and keypoints and lays the results out in a titled grid: the quickest way to see
that the targets follow the image.

Example:
    >>> import numpy as np
    >>> out = draw_targets(np.zeros((20, 30, 3), np.uint8), bboxes=[[2, 2, 10, 10]], keypoints=[[5, 5]])
    >>> out.shape, bool(out.any())
    ((20, 30, 3), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import MultiaugError

__all__ = ["contact_sheet", "demo_steps", "draw_targets", "load_photo"]

_PALETTE = [
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
]  # fmt: skip


def _as_rgb_u8(image: Any) -> np.ndarray:
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(np.rint(arr.astype(np.float32) * 255.0), 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    elif arr.shape[2] >= 4:
        arr = arr[:, :, :3]
    elif arr.shape[2] == 2:
        arr = np.concatenate([arr, arr[:, :, :1]], axis=2)
    return np.ascontiguousarray(arr)


def draw_targets(
    image: Any,
    bboxes: Any = None,
    keypoints: Any = None,
    labels: Sequence[Any] | None = None,
    thickness: int = 2,
) -> np.ndarray:
    """Draw pascal_voc boxes and keypoints onto an RGB uint8 copy of ``image``.

    Args:
        image: HxW or HxWxC array, uint8 or float in [0, 1] (grey and RGBA are shown as RGB).
        bboxes: N x 4+ boxes ``x1, y1, x2, y2`` in pixels.
        keypoints: N x 2+ points ``x, y``; points outside the image are not drawn.
        labels: One label per box, written at its top-left corner.
        thickness: Line thickness in pixels.

    Returns:
        A new HxWx3 uint8 array.
    """
    out = _as_rgb_u8(image).copy()
    h, w = out.shape[:2]
    if bboxes is not None:
        table = np.asarray(bboxes, dtype=np.float64)
        for i, box in enumerate(table.reshape(len(table), -1) if table.size else []):
            colour = _PALETTE[i % len(_PALETTE)]
            x1, y1, x2, y2 = (int(round(v)) for v in box[:4])
            cv2.rectangle(out, (x1, y1), (max(x1, x2 - 1), max(y1, y2 - 1)), colour, thickness)
            if labels is not None and i < len(labels):
                text = str(labels[i])
                (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.4, 1)
                ty = max(th + 2, y1)
                cv2.rectangle(out, (x1, ty - th - 3), (x1 + tw + 2, ty), colour, -1)
                cv2.putText(out, text, (x1 + 1, ty - 2), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    if keypoints is not None and len(keypoints):
        r = max(2, thickness + 1)
        for i, pt in enumerate(np.asarray(keypoints, dtype=np.float64)):
            x, y = float(pt[0]), float(pt[1])
            if not (0 <= x < w and 0 <= y < h):
                continue
            centre = (int(x), int(y))
            cv2.circle(out, centre, r + 1, (0, 0, 0), -1, cv2.LINE_AA)
            cv2.circle(out, centre, r, _PALETTE[(i + 3) % len(_PALETTE)], -1, cv2.LINE_AA)
    return out


def load_photo() -> dict[str, Any]:
    """The bundled sample photograph as a sample dict: image, caption, bboxes, bbox_labels, keypoints.

    Example:
        >>> sample = load_photo()
        >>> sample["image"].shape, len(sample["bboxes"]) == len(sample["bbox_labels"])
        ((384, 384, 3), True)
    """
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "samples"
    meta = json.loads((folder / "photo.json").read_text(encoding="utf-8"))
    bgr = cv2.imread(str(folder / meta["image"]), cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(f"cannot read the sample photo {folder / meta['image']}")
    return {
        "image": cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB),
        "caption": meta["caption"],
        "bboxes": np.asarray(meta["bboxes"], dtype=np.float64),
        "bbox_labels": list(meta["bbox_labels"]),
        "keypoints": np.asarray(meta["keypoints"], dtype=np.float64),
        "keypoint_labels": list(meta["keypoint_labels"]),
    }


def demo_steps(height: int, width: int) -> list[Augmenter]:
    """One instance of every registered image step, with arguments that make its effect visible."""
    import multiaug as ma
    from multiaug.core.registry import get

    size_args: dict[str, dict[str, Any]] = {
        "image.RandomCrop": {"height": int(height * 0.7), "width": int(width * 0.7)},
        "image.CenterCrop": {"height": int(height * 0.7), "width": int(width * 0.7)},
        "image.Resize": {"height": height // 2, "width": int(width * 0.75)},
        "image.RandomResizedCrop": {"size": (height, width), "scale": (0.3, 0.6)},
        "image.Pad": {"padding": max(4, width // 10), "border_mode": "reflect"},
        "image.Rotate": {"limit": (25, 35)},
        "image.ElasticTransform": {"alpha": max(4.0, width / 40), "sigma": max(8.0, width / 25)},
        "image.Perspective": {"scale": (0.12, 0.15)},
        "image.MixUp": {"num_classes": 2, "alpha": 2.0},
        "image.CutMix": {"num_classes": 2},
        "image.CoarseDropout": {"num_holes": (6, 8)},
        "image.GaussianNoise": {"std_range": (0.08, 0.1)},
        "image.JpegCompression": {"quality": (5, 8)},
        "image.RandAugment": {"num_ops": 2, "magnitude": 15},
        "image.MotionBlur": {"blur_limit": (11, 15)},
        "image.MedianBlur": {"blur_limit": (7, 9)},
        "image.GaussianBlur": {"sigma_limit": (2.5, 3.0)},
        "image.SaltAndPepper": {"amount": (0.05, 0.06)},
        "image.ColorJitter": {"brightness": 0.3, "contrast": 0.3, "saturation": 0.6, "hue": (0.1, 0.15)},
    }
    return [get(name)(**{**size_args.get(name, {}), "p": 1.0}) for name in ma.available("image")]


def _fit(img: np.ndarray, tile: int) -> np.ndarray:
    h, w = img.shape[:2]
    s = tile / max(h, w)
    small = cv2.resize(img, (max(1, int(round(w * s))), max(1, int(round(h * s)))), interpolation=cv2.INTER_AREA)
    canvas = np.full((tile, tile, 3), 255, np.uint8)
    y, x = (tile - small.shape[0]) // 2, (tile - small.shape[1]) // 2
    canvas[y : y + small.shape[0], x : x + small.shape[1]] = small
    return canvas


def _title(text: str, width: int, height: int = 22) -> np.ndarray:
    bar = np.full((height, width, 3), 255, np.uint8)
    scale = 0.45
    while scale > 0.25 and cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0][0] > width - 4:
        scale -= 0.05
    cv2.putText(bar, text, (3, height - 7), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 1, cv2.LINE_AA)
    return bar


def _run_step(step: Augmenter, sample: dict[str, Any], seed: int) -> dict[str, Any]:
    import multiaug as ma

    pipe = ma.Pipeline([step], seed=seed)
    if getattr(step, "replays_per_sample", True) is False:  # mixing steps need a batch: pair with a partner
        partner = {**sample, "image": np.ascontiguousarray(sample["image"][::-1, ::-1]), "label": 1}
        partner.pop("bboxes", None)
        partner.pop("bbox_labels", None)
        partner.pop("keypoints", None)
        first = {**sample, "label": 0}
        second = {**partner, "bboxes": np.zeros((0, 4)), "bbox_labels": []}
        for index in range(32):  # the first sample whose partner is the other image
            outs, recs = pipe.batch([first, second], indices=[2 * index, 2 * index + 1], return_records=True)
            if recs[0]["steps"][0].get("params", {}).get("partner") == 1:
                return outs[0]
        return outs[0]
    return pipe(sample, index=0)


def contact_sheet(
    image: Any,
    steps: Sequence[Augmenter | str] | None = None,
    bboxes: Any = None,
    keypoints: Any = None,
    seed: int = 0,
    columns: int = 6,
    labels: Sequence[Any] | None = None,
    tile: int = 200,
) -> np.ndarray:
    """Apply each step to ``image`` (with its boxes and keypoints) and lay the results out in a grid.

    The first tile is the original. Steps are applied with ``p=1``; a step that cannot handle
    the sample shows its error message in its tile instead of stopping the sheet.

    Args:
        image: The photograph (HxWx3 uint8 is best).
        steps: Augmenters or registry names; None means every registered image step
            (see :func:`demo_steps` for the arguments used).
        bboxes: pascal_voc boxes of the photograph.
        keypoints: Keypoints of the photograph.
        seed: Pipeline seed (each step runs at index 0).
        columns: Tiles per row.
        labels: Box labels, drawn on the boxes.
        tile: Tile size in pixels (each result is fitted into a square tile).

    Returns:
        The sheet as an RGB uint8 array.
    """
    import multiaug as ma

    img = np.asarray(image)
    if steps is None:
        chosen: list[Augmenter] = demo_steps(img.shape[0], img.shape[1])
    else:
        chosen = []
        for s in steps:
            step = ma.build({"name": s}) if isinstance(s, str) else s
            conf = step.to_dict()
            if "steps" not in conf:  # leaf steps: force p=1 so that every tile shows the effect
                conf["params"] = {**conf["params"], "p": 1.0}
                step = ma.build(conf)
            chosen.append(step)
    sample: dict[str, Any] = {"image": img}
    if bboxes is not None:
        sample["bboxes"] = np.asarray(bboxes, dtype=np.float64)
        sample["bbox_labels"] = list(labels) if labels is not None else list(range(len(sample["bboxes"])))
    if keypoints is not None:
        sample["keypoints"] = np.asarray(keypoints, dtype=np.float64)
    tiles = [_tile("original", draw_targets(img, sample.get("bboxes"), sample.get("keypoints"), labels), tile)]
    for step in chosen:
        title = type(step).__name__
        try:
            out = _run_step(step, sample, seed)
            drawn = draw_targets(out["image"], out.get("bboxes"), out.get("keypoints"), out.get("bbox_labels"))
        except MultiaugError as exc:
            drawn = np.full((tile, tile, 3), 235, np.uint8)
            for k, line in enumerate([str(exc)[i : i + 28] for i in range(0, min(len(str(exc)), 196), 28)]):
                cv2.putText(drawn, line, (4, 20 + 16 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (160, 0, 0), 1, cv2.LINE_AA)
        tiles.append(_tile(title, drawn, tile))
    columns = max(1, int(columns))
    blank = np.full_like(tiles[0], 255)
    while len(tiles) % columns:
        tiles.append(blank)
    rows = [np.concatenate(tiles[r : r + columns], axis=1) for r in range(0, len(tiles), columns)]
    return np.concatenate(rows, axis=0)


def _tile(title: str, img: np.ndarray, tile: int) -> np.ndarray:
    body = _fit(img, tile)
    framed = np.concatenate([_title(title, tile), body], axis=0)
    framed[:, -1] = 200
    framed[-1, :] = 200
    return framed
