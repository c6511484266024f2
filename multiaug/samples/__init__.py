"""Small, licence-clean sample data shipped with multiaug (used by ``multiaug demo`` and the tests).

* ``photo.jpg`` + ``photo.json``: a photograph with its caption, boxes and keypoints.
* ``speech.wav`` + ``speech.json``: a 16 kHz spoken sentence and its word-timed transcript.
* ``sentences.jsonl``: short English sentences with a topic ``label`` and a ``split``.

Example:
    >>> path("speech.wav").name
    'speech.wav'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLES_DIR", "path"]

SAMPLES_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """The path of the bundled sample file ``name`` (it may be absent if its modality has not shipped it)."""
    return SAMPLES_DIR / name
