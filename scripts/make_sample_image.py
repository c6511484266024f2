"""Build the bundled sample photograph: ``multiaug/samples/photo.jpg`` with ``photo.json`` and its licence.

The photograph is scikit-image's ``astronaut`` (Eileen Collins, NASA; public domain), shrunk to
384x384. ``photo.json`` holds a caption with left/right words, pascal_voc boxes with labels and
four facial keypoints, all in the coordinates of the saved image.

Run: ``.venv/bin/python scripts/make_sample_image.py`` (needs scikit-image, from the test extra).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data

OUT = Path(__file__).resolve().parent.parent / "multiaug" / "samples"
SIZE = 384
SOURCE = 512  # the original is 512x512; the annotations below are in its coordinates

BOXES = {  # x1, y1, x2, y2 on the 512x512 original
    "face": [180, 70, 282, 170],
    "flag": [0, 0, 97, 500],
    "shuttle": [352, 0, 472, 285],
    "helmet": [276, 340, 512, 512],
    "patch": [133, 347, 210, 424],
}
KEYPOINTS = {  # x, y on the original
    "left_eye": [203, 102],
    "right_eye": [245, 103],
    "nose": [222, 128],
    "mouth": [225, 145],
}
CAPTION = "a smiling astronaut in an orange suit, with a flag on the left and a space shuttle model on the right"

LICENCE = """photo.jpg and photo.json

Source: scikit-image sample data, skimage.data.astronaut() (file skimage/data/astronaut.png).
Photograph of the astronaut Eileen Collins, from the NASA Great Images database
(https://flic.kr/p/r9qvLn). scikit-image documents it as: "No known copyright restrictions,
released into the public domain."

Licence: public domain (a work of the US federal government, NASA).

Changes: resized from 512x512 to 384x384 and saved as JPEG by scripts/make_sample_image.py,
which also writes the caption, boxes and keypoints of photo.json (annotations by the multiaug
developers, released with multiaug under the MIT licence).
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scale = SIZE / SOURCE
    img = Image.fromarray(data.astronaut()).resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    img.save(OUT / "photo.jpg", quality=88, optimize=True)
    names = list(BOXES)
    meta = {
        "image": "photo.jpg",
        "caption": CAPTION,
        "bbox_format": "pascal_voc",
        "bboxes": [[round(v * scale, 2) for v in BOXES[n]] for n in names],
        "bbox_labels": names,
        "keypoints": [[round(v * scale, 2) for v in KEYPOINTS[n]] for n in KEYPOINTS],
        "keypoint_labels": list(KEYPOINTS),
        "source": "skimage.data.astronaut (NASA, public domain); see photo.LICENSE.txt",
    }
    (OUT / "photo.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (OUT / "photo.LICENSE.txt").write_text(LICENCE, encoding="utf-8")
    size_kb = (OUT / "photo.jpg").stat().st_size / 1024
    print(f"wrote {OUT / 'photo.jpg'} ({SIZE}x{SIZE}, {size_kb:.0f} KB), photo.json, photo.LICENSE.txt")
    assert np.asarray(Image.open(OUT / "photo.jpg")).shape == (SIZE, SIZE, 3)


if __name__ == "__main__":
    main()
