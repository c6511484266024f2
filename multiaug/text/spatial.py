"""Caption word maps: spatial words that follow an image flip, and colour words.

When an image is mirrored left-right, "a dog left of a red car" must become "a dog right of a
red car". :func:`flip_horizontal` and :func:`flip_vertical` swap the spatial words as whole
words (also inside hyphenated compounds such as "top-left"), keep their case, and never touch
words that merely contain them (bright, upright, copyright, leftover, bottomless). A few fixed
phrases where the word is not spatial ("all right", "right now", "left over") are left alone;
other non-spatial uses ("the right answer", "she left") cannot be told apart without parsing
and are swapped too.

This module also attaches those maps to the image flips, as their kernels for ``caption``
fields (``image.HorizontalFlip`` and ``image.VerticalFlip`` list this module in their
``kernel_modules``), without importing :mod:`multiaug.image`.

Colour steps can ask :func:`mentions_colour` whether a caption names colours (and leave such
captions, or those samples, alone).

Example:
    >>> flip_horizontal("The LEFT-hand cup is left of the bright lamp, upright.")
    'The RIGHT-hand cup is right of the bright lamp, upright.'
    >>> flip_vertical("Top shelf above the bottomless pit")
    'Bottom shelf below the bottomless pit'
"""

from __future__ import annotations

import re
from typing import Any

from multiaug.core.augmenter import register_kernel
from multiaug.text.tokenize import match_case

__all__ = [
    "COLOR_WORDS",
    "COLOUR_WORDS",
    "HORIZONTAL_MAP",
    "VERTICAL_MAP",
    "colour_words",
    "flip_horizontal",
    "flip_vertical",
    "mentions_color",
    "mentions_colour",
    "swap_words",
]


def _symmetric(pairs: dict[str, str]) -> dict[str, str]:
    out = dict(pairs)
    out.update({v: k for k, v in pairs.items()})
    return out


#: Words swapped by a left-right flip.
HORIZONTAL_MAP: dict[str, str] = _symmetric(
    {"left": "right", "leftmost": "rightmost", "left-hand": "right-hand", "lefthand": "righthand"}
)
#: Words swapped by a top-bottom flip.
VERTICAL_MAP: dict[str, str] = _symmetric(
    {"top": "bottom", "above": "below", "upper": "lower", "topmost": "bottommost", "uppermost": "lowermost"}
)

# Fixed phrases in which the word is not spatial: (regex before the word, regex after it).
_IDIOMS: dict[str, tuple[tuple[str, str], ...]] = {
    "right": ((r"\ball\s+$", ""), ("", r"^\s+(?:away|now)\b")),
    "left": (("", r"^\s+over\b"),),
    "top": (("", r"^-notch\b"),),
}


def _word_regex(words: list[str]) -> re.Pattern[str]:
    # Longest first, so that "left-hand" wins over "left"; a word must not touch another letter or
    # digit (a hyphen is fine: "top-left").
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])", re.IGNORECASE)


_H_RE = _word_regex(list(HORIZONTAL_MAP))
_V_RE = _word_regex(list(VERTICAL_MAP))


def _is_idiom(text: str, start: int, end: int, word: str) -> bool:
    for before, after in _IDIOMS.get(word, ()):
        if (not before or re.search(before, text[:start], re.IGNORECASE)) and (
            not after or re.search(after, text[end:], re.IGNORECASE)
        ):
            return True
    return False


def swap_words(text: str, mapping: dict[str, str], pattern: re.Pattern[str] | None = None) -> str:
    """Swap whole words of ``text`` by ``mapping`` (lowercase keys), keeping each word's case.

    Example:
        >>> swap_words("Cat and DOG", {"cat": "dog", "dog": "cat"})
        'Dog and CAT'
    """
    rx = pattern or _word_regex(list(mapping))

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if _is_idiom(m.string, m.start(), m.end(), low):
            return word
        new = mapping[low]
        if "-" in word and word.isupper() is False and word.split("-")[0].isupper():
            # "LEFT-hand" -> "RIGHT-hand": case per part
            parts, new_parts = word.split("-"), new.split("-")
            if len(parts) == len(new_parts):
                return "-".join(match_case(n, o) for n, o in zip(new_parts, parts))
        return match_case(new, word)

    return rx.sub(repl, text)


def flip_horizontal(text: str) -> str:
    """The caption of a left-right mirrored image.

    Example:
        >>> flip_horizontal("Rightmost car, top-left corner; copyright 2024")
        'Leftmost car, top-right corner; copyright 2024'
    """
    return swap_words(text, HORIZONTAL_MAP, _H_RE)


def flip_vertical(text: str) -> str:
    """The caption of a top-bottom mirrored image.

    Example:
        >>> flip_vertical("The lamp is above the upper shelf, top-left")
        'The lamp is below the lower shelf, bottom-left'
    """
    return swap_words(text, VERTICAL_MAP, _V_RE)


@register_kernel("image.HorizontalFlip", "caption")
def _horizontal_flip_caption(step: Any, value: str, params: dict[str, Any], sample: Any) -> str:
    return flip_horizontal(value)


@register_kernel("image.VerticalFlip", "caption")
def _vertical_flip_caption(step: Any, value: str, params: dict[str, Any], sample: Any) -> str:
    return flip_vertical(value)


#: Common English colour words (basic and frequent named colours).
COLOUR_WORDS: frozenset[str] = frozenset(
    """
    red orange yellow green blue purple violet pink brown black white gray grey silver gold golden
    beige tan cream ivory maroon navy teal turquoise cyan magenta lavender lilac indigo olive lime
    khaki crimson scarlet burgundy coral salmon peach mint emerald jade azure cobalt amber bronze
    copper rust charcoal ebony blond blonde brunette auburn fuchsia mauve ochre sepia aqua
    turquoise chartreuse vermilion cerulean ultramarine taupe plum
    reddish orangish yellowish greenish bluish blueish purplish pinkish brownish blackish whitish
    grayish greyish colorful colourful multicolored multicoloured
    """.split()
)
COLOR_WORDS = COLOUR_WORDS
_COLOUR_RE = _word_regex(list(COLOUR_WORDS))


def colour_words(text: str) -> list[str]:
    """The colour words of ``text``, in order, as written.

    Example:
        >>> colour_words("A Red car next to a bluish-grey wall, bright light")
        ['Red', 'bluish', 'grey']
    """
    return [m.group(0) for m in _COLOUR_RE.finditer(text)]


def mentions_colour(text: str) -> bool:
    """Whether ``text`` names a colour (so a colour-changing step could make it wrong).

    Example:
        >>> mentions_colour("a red car"), mentions_colour("a credible car")
        (True, False)
    """
    return _COLOUR_RE.search(text) is not None


mentions_color = mentions_colour
