"""Each step's output against an independent reference (NumPy / Pillow / SciPy math) on real photographs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageOps
from scipy import ndimage

import multiaug as ma
from multiaug import image as I


def run(step, image, **fields):
    out, rec = ma.Pipeline([step], seed=0)(image=image, return_record=True, **fields)
    return out, rec["steps"][0]["params"]


def test_flips_transpose_rot90(chelsea):
    assert np.array_equal(run(I.HorizontalFlip(p=1), chelsea)[0]["image"], chelsea[:, ::-1])
    assert np.array_equal(run(I.VerticalFlip(p=1), chelsea)[0]["image"], chelsea[::-1])
    assert np.array_equal(run(I.Transpose(p=1), chelsea)[0]["image"], chelsea.transpose(1, 0, 2))
    out, params = run(I.RandomRotate90(p=1), chelsea)
    assert np.array_equal(out["image"], np.rot90(chelsea, params["k"]))


def test_rotate_matches_scipy(coffee):
    out, params = run(I.Rotate(limit=(20, 20), p=1), coffee)
    # scipy rotates about the array centre with angle counter-clockwise, like the step
    ref = ndimage.rotate(coffee.astype(np.float64), 20, axes=(1, 0), reshape=False, order=1, mode="constant")
    h, w = coffee.shape[:2]
    inner = (slice(h // 4, 3 * h // 4), slice(w // 4, 3 * w // 4))
    diff = np.abs(out["image"][inner].astype(np.float64) - ref[inner])
    assert diff.mean() < 1.5 and np.percentile(diff, 99) < 12


def test_affine_matches_inverse_mapping(chelsea):
    step = I.Affine(scale=(1.2, 1.2), translate_percent=(0.05, 0.05), rotate=(10, 10), shear=(5, 5), p=1)
    out, p = run(step, chelsea)
    h, w = chelsea.shape[:2]
    # independent reference: for each output pixel centre, invert the documented transform by hand
    a, sh = np.deg2rad(p["angle"]), np.tan(np.deg2rad(p["shear_x"]))
    cx, cy = w / 2, h / 2
    fwd = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) @ np.array([[1, sh], [0, 1]]) * p["scale"]
    inv = np.linalg.inv(fwd)
    yy, xx = np.mgrid[0:h, 0:w] + 0.5
    px = xx - cx - p["tx"] * w
    py = yy - cy - p["ty"] * h
    sx = inv[0, 0] * px + inv[0, 1] * py + cx - 0.5
    sy = inv[1, 0] * px + inv[1, 1] * py + cy - 0.5
    ref = np.stack([ndimage.map_coordinates(chelsea[:, :, c].astype(float), [sy, sx], order=1) for c in range(3)], -1)
    inside = (sx > 1) & (sx < w - 2) & (sy > 1) & (sy < h - 2)
    diff = np.abs(out["image"].astype(float) - ref)[inside]
    assert diff.mean() < 1.0 and diff.max() <= 3


def test_crops_and_resize(chelsea):
    out, p = run(I.RandomCrop(50, 60, p=1), chelsea)
    assert np.array_equal(out["image"], chelsea[p["y"] : p["y"] + 50, p["x"] : p["x"] + 60])
    out, _ = run(I.CenterCrop(50, 60, p=1), chelsea)
    h, w = chelsea.shape[:2]
    assert np.array_equal(out["image"], chelsea[(h - 50) // 2 : (h - 50) // 2 + 50, (w - 60) // 2 : (w - 60) // 2 + 60])
    out, _ = run(I.Resize(75, 113, interpolation="nearest"), chelsea)
    ys = np.minimum(np.floor((np.arange(75) + 0.5) * h / 75), h - 1).astype(int)
    xs = np.minimum(np.floor((np.arange(113) + 0.5) * w / 113), w - 1).astype(int)
    assert (out["image"] != chelsea[ys][:, xs]).mean() < 0.02
    out, p = run(I.RandomResizedCrop((64, 64), p=1), chelsea)
    crop = chelsea[p["y"] : p["y"] + p["h"], p["x"] : p["x"] + p["w"]]
    ref = np.asarray(Image.fromarray(crop).resize((64, 64), Image.Resampling.BILINEAR), dtype=float)
    assert np.abs(out["image"] - ref).mean() < 6


def test_pad_matches_numpy(chelsea):
    out, _ = run(I.Pad(padding=(3, 4, 5, 6), border_mode="reflect"), chelsea)
    assert np.array_equal(out["image"], np.pad(chelsea, ((4, 6), (3, 5), (0, 0)), mode="reflect"))
    out, _ = run(I.Pad(padding=2, fill=(10, 20, 30)), chelsea)
    assert out["image"][0, 0].tolist() == [10, 20, 30]


@pytest.mark.parametrize(
    ("step", "pil"),
    [
        (I.Equalize(p=1), ImageOps.equalize),
        (I.AutoContrast(p=1), ImageOps.autocontrast),
        (I.Invert(p=1), ImageOps.invert),
        (I.Posterize(bits=3, p=1), lambda im: ImageOps.posterize(im, 3)),
    ],
)
def test_point_ops_match_pillow(step, pil, coffee):
    out, _ = run(step, coffee)
    assert np.array_equal(out["image"], np.asarray(pil(Image.fromarray(coffee))))


def test_solarize_gamma_brightness_contrast(coffee):
    out, _ = run(I.Solarize(threshold=(0.5, 0.5), p=1), coffee)
    assert np.array_equal(out["image"], np.asarray(ImageOps.solarize(Image.fromarray(coffee), 128)))
    out, p = run(I.RandomGamma(p=1), coffee)
    ref = np.rint(255 * (coffee / 255.0) ** p["gamma"])
    assert np.abs(out["image"] - ref).max() <= 1
    out, p = run(I.RandomBrightnessContrast(p=1), coffee)
    m = coffee.mean() / 255
    ref = np.clip(np.rint(255 * ((coffee / 255 - m) * (1 + p["contrast"]) + m + p["brightness"])), 0, 255)
    assert np.abs(out["image"] - ref).max() <= 1


def test_grayscale_matches_pillow(chelsea):
    out, _ = run(I.Grayscale(p=1), chelsea)
    ref = np.asarray(Image.fromarray(chelsea).convert("L"), dtype=int)
    assert np.abs(out["image"][:, :, 0].astype(int) - ref).max() <= 1
    assert np.array_equal(out["image"][:, :, 0], out["image"][:, :, 2])


def test_color_jitter_matches_formulas(chelsea):
    out, p = run(I.ColorJitter(hue=0, p=1), chelsea)
    x = chelsea.astype(float) / 255
    y = np.clip(np.rint(np.clip(x * p["brightness"], 0, 1) * 255), 0, 255) / 255
    luma = lambda a: a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114  # noqa: E731
    m = luma(y).mean()
    z = np.clip(np.rint(np.clip((y - m) * p["contrast"] + m, 0, 1) * 255), 0, 255) / 255
    g = luma(z)[..., None]
    ref = np.clip(g + p["saturation"] * (z - g), 0, 1) * 255
    assert np.abs(out["image"] - ref).mean() < 1.0 and np.abs(out["image"] - ref).max() <= 3


def test_hue_shift_matches_hsv(coffee):
    import colorsys

    out, p = run(I.ColorJitter(brightness=0, contrast=0, saturation=0, hue=(0.2, 0.2), p=1), coffee)
    pix = coffee[::17, ::23].reshape(-1, 3) / 255.0
    got = out["image"][::17, ::23].reshape(-1, 3).astype(float)
    ref = np.array(
        [colorsys.hsv_to_rgb((colorsys.rgb_to_hsv(*c)[0] + 0.2) % 1, *colorsys.rgb_to_hsv(*c)[1:]) for c in pix]
    )
    assert np.median(np.abs(got - ref * 255)) <= 3


def test_blurs_match_scipy(coffee):
    out, p = run(I.GaussianBlur(sigma_limit=(1.5, 1.5), p=1), coffee)
    ref = np.stack(
        [ndimage.gaussian_filter(coffee[..., c].astype(float), 1.5, mode="mirror", truncate=3) for c in range(3)], -1
    )
    assert np.abs(out["image"] - ref)[5:-5, 5:-5].max() <= 2
    out, p = run(I.MedianBlur(blur_limit=(5, 5), p=1), coffee)
    ref = ndimage.median_filter(coffee, size=(5, 5, 1))
    assert np.array_equal(out["image"][3:-3, 3:-3], ref[3:-3, 3:-3])
    out, p = run(I.MotionBlur(p=1), coffee)
    from multiaug.image.functional import motion_kernel

    k = motion_kernel(p["ksize"], p["angle"], p["direction"])
    assert k.sum() == pytest.approx(1, abs=1e-5) and (k > 0).sum() >= p["ksize"]
    ref = np.stack([ndimage.correlate(coffee[..., c].astype(float), k, mode="mirror") for c in range(3)], -1)
    r = p["ksize"]
    assert np.abs(out["image"] - ref)[r:-r, r:-r].max() <= 1


def test_sharpen_matches_kernel(chelsea):
    out, p = run(I.Sharpen(p=1), chelsea)
    a, light = p["alpha"], p["lightness"]
    img = chelsea.astype(float)
    box = ndimage.uniform_filter(img, size=(3, 3, 1), mode="mirror") * 9
    sharp = (9 + light) * img - box  # centre 8 + lightness, neighbours -1
    ref = np.clip(np.rint((1 - a) * img + a * sharp), 0, 255)
    assert np.abs(out["image"] - ref)[1:-1, 1:-1].max() <= 1


def test_gaussian_noise_statistics(photo):
    img = np.full((256, 256, 3), 128, np.uint8)
    out, p = run(I.GaussianNoise(std_range=(0.05, 0.05), p=1), img)
    d = out["image"].astype(float) - 128
    assert abs(d.mean()) < 0.1 and d.std() == pytest.approx(0.05 * 255, rel=0.02)
    # real photo: noise is independent of the content and the output stays uint8
    out, _ = run(I.GaussianNoise(p=1), photo["image"])
    assert out["image"].dtype == np.uint8 and not np.array_equal(out["image"], photo["image"])
    f = img.astype(np.float32) / 255
    out, p = run(I.GaussianNoise(std_range=(0.05, 0.05), p=1), f)
    assert (out["image"] - f).std() == pytest.approx(0.05, rel=0.02)


def test_salt_and_pepper_fraction(coffee):
    out, p = run(I.SaltAndPepper(amount=(0.1, 0.1), salt_vs_pepper=(0.5, 0.5), p=1), coffee)
    changed = (out["image"] != coffee).any(axis=2)
    white = (out["image"] == 255).all(axis=2) & changed
    black = (out["image"] == 0).all(axis=2) & changed
    assert changed.mean() == pytest.approx(0.1, abs=0.01)
    assert white.mean() == pytest.approx(0.05, abs=0.01) and black.mean() == pytest.approx(0.05, abs=0.01)


def test_jpeg_close_to_pillow(photo):
    import io

    out, p = run(I.JpegCompression(quality=(30, 30), p=1), photo["image"])
    buf = io.BytesIO()
    Image.fromarray(photo["image"]).save(buf, format="JPEG", quality=30)
    ref = np.asarray(Image.open(buf), dtype=float)
    assert np.abs(out["image"] - ref).mean() < 2.0
    assert np.abs(out["image"] - photo["image"].astype(float)).mean() > 1.0


def test_erasing(photo):
    out, p = run(I.CoarseDropout(fill_value=(1, 2, 3), p=1), photo["image"])
    ref = photo["image"].copy()
    for x1, y1, x2, y2 in p["holes"]:
        ref[y1:y2, x1:x2] = (1, 2, 3)
    assert np.array_equal(out["image"], ref)
    out, p = run(I.RandomErasing(fill="mean", p=1), photo["image"])
    ((x1, y1, x2, y2),) = p["holes"]
    assert np.array_equal(out["image"][y1, x1], np.rint(photo["image"].reshape(-1, 3).mean(0)).astype(np.uint8))
    area = (x2 - x1) * (y2 - y1) / photo["image"][..., 0].size
    assert 0.02 - 0.01 <= area <= 0.33 + 0.01


def test_elastic_moves_little_and_smoothly(chelsea):
    out, _ = run(I.ElasticTransform(alpha=3, sigma=10, p=1), chelsea)
    assert np.abs(out["image"].astype(float) - chelsea).mean() < 20
    assert not np.array_equal(out["image"], chelsea)
