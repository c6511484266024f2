"""Example pipeline configs shipped with multiaug (the ones ``multiaug demo`` runs).

* ``image_caption.yaml``: flips, rotations and colour changes of a photo with its caption, boxes and keypoints.
* ``speech.yaml``: tempo, gain and noise on speech with a word-timed transcript, then a mel spectrogram.
* ``text.yaml``: synonym, swap and typo noise on sentences.

Example:
    >>> sorted(p.name for p in CONFIGS_DIR.glob("*.yaml"))[:1]
    ['image_caption.yaml']
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CONFIGS_DIR", "path"]

CONFIGS_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """The path of the bundled config ``name`` (``"speech.yaml"``)."""
    return CONFIGS_DIR / name
