"""Character noise: keyboard typos, OCR confusions, generic character edits."""

from __future__ import annotations

import pytest

import multiaug as ma
from multiaug import text as T
from multiaug.text.noise import KEYBOARD_NEIGHBOURS, OCR_CONFUSIONS
from multiaug.text.tokenize import Tokens

TEXT = "Please do not forget the meeting at 10 tomorrow, Maria; it's important."


def _outs(step: ma.Augmenter, text: str = TEXT, n: int = 10) -> list[str]:
    pipe = ma.Pipeline([step], seed=1)
    return [pipe(text, index=i) for i in range(n)]


def test_keyboard_typos_use_neighbouring_keys_and_keep_the_layout() -> None:
    assert set(KEYBOARD_NEIGHBOURS["g"]) == set("fhtybv")
    assert set(KEYBOARD_NEIGHBOURS["5"]) == set("46")
    for out in _outs(T.KeyboardTypo(rate=0.2)):
        assert len(out) == len(TEXT)
        assert [g.text for g in Tokens.from_text(out).gaps] == [g.text for g in Tokens.from_text(TEXT).gaps]
        for a, b in zip(TEXT, out):
            if a != b:
                assert b.lower() in KEYBOARD_NEIGHBOURS[a.lower()] and a.isupper() == b.isupper()
    assert any(o != TEXT for o in _outs(T.KeyboardTypo(rate=0.2)))


def test_ocr_noise_uses_the_confusion_table() -> None:
    outs = _outs(T.OcrNoise(rate=1.0, protect_numbers=False), "modern 101 clod", n=5)
    for out in outs:
        assert out != "modern 101 clod"
    assert "rn" in OCR_CONFUSIONS["m"] and "m" in OCR_CONFUSIONS["rn"]
    assert all(c in "1lI|i0OoDQ" for c in "".join(o.split()[1] for o in outs))


def test_char_noise_operations() -> None:
    word = "abcdefghij"
    ins = _outs(T.CharNoise(rate=0.3, ops=["insert"]), word)
    assert all(len(o) >= len(word) for o in ins) and any(len(o) > len(word) for o in ins)
    dele = _outs(T.CharNoise(rate=0.3, ops=["delete"]), word)
    assert all(1 <= len(o) <= len(word) for o in dele) and any(len(o) < len(word) for o in dele)
    assert all(len(o) == 1 for o in _outs(T.CharNoise(rate=1.0, ops=["delete"]), "xyz")), "a word never vanishes"
    swp = _outs(T.CharNoise(rate=0.3, ops=["swap"]), word)
    assert all(sorted(o) == sorted(word) for o in swp) and any(o != word for o in swp)
    sub = _outs(T.CharNoise(rate=0.3, ops=["substitute"]), word)
    assert all(len(o) == len(word) for o in sub) and any(o != word for o in sub)


@pytest.mark.parametrize("step", [T.KeyboardTypo(rate=0.8), T.OcrNoise(rate=0.9), T.CharNoise(rate=0.8)])
def test_protected_tokens_survive(step: ma.Augmenter) -> None:
    s = T.KeyboardTypo(rate=0.8, protect=["Maria"]) if isinstance(step, T.KeyboardTypo) else step
    for out in _outs(s):
        assert "not" in out and "10" in out
    for out in _outs(T.CharNoise(rate=0.8, protect=["maria"], protect_regex=[r"import\w+"])):
        assert "Maria" in out and "important" in out


def test_rate_zero_is_identity_and_seeded() -> None:
    assert _outs(T.CharNoise(rate=0.0)) == [TEXT] * 10
    assert _outs(T.KeyboardTypo(rate=0.3)) == _outs(T.KeyboardTypo(rate=0.3))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        T.CharNoise(ops=["explode"])
    with pytest.raises(ValueError):
        T.CharNoise(ops="swap")
    with pytest.raises(ValueError):
        T.KeyboardTypo(rate=2)


@pytest.mark.parametrize("text", ["", "!!", "a", "ü", "日本", "12 34", "\n\t"])
def test_odd_inputs(text: str) -> None:
    for step in (T.KeyboardTypo(rate=1.0), T.OcrNoise(rate=1.0), T.CharNoise(rate=1.0)):
        assert isinstance(ma.Pipeline([step], seed=0)(text), str)
