"""Build the bundled speech clip and labelled sentences in ``multiaug/samples/``.

The speech is synthesised with Debian's ``espeak-ng`` one word at a time, so every word's start and
end in the clip are known exactly: each word's audio is trimmed of silence, resampled to 16 kHz and
laid end to end with a short pause. Output:

* ``speech.wav``: 16 kHz mono 16-bit PCM;
* ``speech.json``: the transcript ``{"text", "words": [{"word", "start", "end"}]}`` (seconds);
* ``sentences.jsonl``: short English sentences with a ``label`` and a ``split``.

The files are committed; CI does not run this script. Run it again with
``apt-get install -y espeak-ng`` and ``.venv/bin/python scripts/make_samples.py``.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "multiaug" / "samples"
RATE = 16000
PAUSE_S = 0.08
EDGE_S = 0.25
SPEECH = "turn on the small lamp by the red chair"
VOICE = "en-us"

# Our own sentences; labels are the topic. Rows marked "test" show split safety in the demo.
SENTENCES = [
    ("The kitchen light is too bright at night.", "home", "train"),
    ("Please close the window before the rain starts.", "home", "train"),
    ("The sofa in the living room needs a new cover.", "home", "train"),
    ("Our garden gets a lot of sun in the afternoon.", "home", "train"),
    ("The train to the city leaves every twenty minutes.", "travel", "train"),
    ("She booked a quiet hotel near the old harbour.", "travel", "train"),
    ("The flight was late but the crew was very kind.", "travel", "train"),
    ("A small cafe sells fresh bread every morning.", "food", "train"),
    ("He cooked a spicy soup with red peppers and rice.", "food", "train"),
    ("The bus stop is right in front of the museum.", "travel", "test"),
    ("Put the cold milk back in the fridge.", "home", "test"),
    ("They shared a large pizza after the game.", "food", "test"),
]


def synth_word(word: str) -> np.ndarray:
    """One word from espeak-ng, trimmed of leading and trailing silence, at 16 kHz."""
    wav = subprocess.run(
        ["espeak-ng", "-v", VOICE, "-s", "170", "--stdout", word], check=True, capture_output=True
    ).stdout
    audio, rate = sf.read(io.BytesIO(wav), dtype="float32")
    audio = resample_poly(audio, RATE, rate).astype(np.float32)
    loud = np.flatnonzero(np.abs(audio) > 0.02 * np.abs(audio).max())
    return audio[loud[0] : loud[-1] + 1]


def make_speech() -> None:
    pieces = [np.zeros(int(EDGE_S * RATE), np.float32)]
    words = []
    pos = len(pieces[0])
    for i, word in enumerate(SPEECH.split()):
        audio = synth_word(word)
        words.append({"word": word, "start": round(pos / RATE, 6), "end": round((pos + len(audio)) / RATE, 6)})
        pieces.append(audio)
        pos += len(audio)
        gap = EDGE_S if i == len(SPEECH.split()) - 1 else PAUSE_S
        pieces.append(np.zeros(int(gap * RATE), np.float32))
        pos += len(pieces[-1])
    clip = np.concatenate(pieces)
    clip = 0.8 * clip / np.abs(clip).max()
    sf.write(SAMPLES / "speech.wav", clip, RATE, subtype="PCM_16")
    transcript = {"text": SPEECH, "words": words}
    (SAMPLES / "speech.json").write_text(json.dumps(transcript, indent=1) + "\n", encoding="utf-8")
    print(f"speech.wav: {len(clip) / RATE:.2f} s, {len(words)} words")


def make_sentences() -> None:
    lines = [
        json.dumps({"id": f"s{i:02d}", "text": text, "label": label, "split": split})
        for i, (text, label, split) in enumerate(SENTENCES)
    ]
    (SAMPLES / "sentences.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"sentences.jsonl: {len(lines)} rows")


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed: apt-get install -y espeak-ng")
    SAMPLES.mkdir(parents=True, exist_ok=True)
    make_speech()
    make_sentences()


if __name__ == "__main__":
    main()
