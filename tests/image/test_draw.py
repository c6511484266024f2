"""draw_targets and contact_sheet, used by the demo and previews."""

from __future__ import annotations

import numpy as np

from multiaug import image as I
from multiaug.image.draw import contact_sheet, draw_targets


def test_draw_targets_draws_on_a_copy():
    img = np.zeros((40, 50, 3), np.uint8)
    out = draw_targets(img, bboxes=[[5, 6, 20, 30]], keypoints=[[40, 10], [99, 99]], labels=["a"])
    assert not img.any() and out.shape == (40, 50, 3)
    assert out[20, 5].any() and out[6, 12].any() and not out[20, 12].any()  # outline only
    assert out[10, 40].any()  # the keypoint; the one outside the image is skipped without error


def test_contact_sheet_of_all_steps(photo):
    small = photo["image"][::4, ::4]
    sheet = contact_sheet(small, None, photo["bboxes"] / 4, photo["keypoints"] / 4, columns=6, tile=64)
    assert sheet.dtype == np.uint8 and sheet.shape[1] == 6 * 64 and sheet.shape[0] % (64 + 22) == 0
    sheet = contact_sheet(small, [I.HorizontalFlip(), "image.Invert"], columns=3, tile=64)
    assert sheet.shape == (64 + 22, 3 * 64, 3)
