"""Caption word maps: spatial words that follow an image flip, and colour words.

When an image is mirrored left-right, "a dog left of a red car" must become "a dog right of a
red car". :func:`flip_horizontal` and :func:`flip_vertical` swap the spatial words as whole
words (also inside hyphenated compounds such as "top-left"), keep their case, and never touch
words that merely contain them (bright, upright, copyright, leftover, bottomless).

"Right" and "left" are not always directions. The words next to them decide, by a small set of
rules (no parser): "all right", "you are right.", "the right answer", "the right to vote", "a
right angle", "right next to" (an intensifier), "nothing left", "she left the room", "left over"
and "left behind" stay as they are, while "on the right", "turn left", "left of the car", "the
left hand" and "from left to right" are swapped. A use that no rule recognises is read as a
direction. Rules cannot catch everything ("the man left the room" is caught by its object, "the
man left" is not), so check captions that matter.

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
    >>> flip_horizontal("She left the cup right next to the plate on the left; right answer.")
    'She left the cup right next to the plate on the right; right answer.'
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
# "left" and "right" have their own rules below.
_IDIOMS: dict[str, tuple[tuple[str, str], ...]] = {
    "top": (("", r"^-notch\b"),),
}


def _word_regex(words: list[str]) -> re.Pattern[str]:
    # Longest first, so that "left-hand" wins over "left"; a word must not touch another letter or
    # digit (a hyphen is fine: "top-left").
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])", re.IGNORECASE)


_H_RE = _word_regex(list(HORIZONTAL_MAP))
_V_RE = _word_regex(list(VERTICAL_MAP))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words just before "left"/"right" that make it a direction or a side.
_DIRECTION_BEFORE = _words(
    """the to on at from far his her its their my your our extreme top bottom upper lower middle
    and or turn turns turned turning face faces faced facing look looks looked looking point points
    pointed pointing lean leans leaned leaning head heads headed heading move moves moved moving go
    goes going went veer veers veered veering swerve swerves swerved swerving steer steers steering
    glance glances glancing tilt tilts tilted tilting slightly further"""
)
# Body parts and other sides: "left hand", "right side", "left of".
_SIDE_AFTER = _words(
    """of side sides hand hands arm arms leg legs foot feet eye eyes ear ears shoulder shoulders wing
    wings cheek knee elbow wrist hip corner corners edge edges half panel lane lanes wall bank column
    field flank portion part end border margin"""
)
_COPULAS = _words("is was are were be been being am 're 's 't seems seem seemed feels feel sounds sound")
_PREPOSITION_AFTER = _words(
    """here there next behind beside in on at by under over above below into onto through up down
    across along outside inside around between near after before back off out where when against"""
)
# "right" as correct / a title / a geometric term, by the word that follows.
_RIGHT_NOT_DIRECTION_AFTER = _words(
    """now away answer answers thing things choice choices decision decisions moment time person
    people amount size words idea track call way angle angles angled triangle triangles"""
)
_RIGHT_TO = _words("vote be do know speak work life privacy remain choose exist own free")
_RIGHT_ADVERBS_BEFORE = _words("all exactly just quite absolutely not so perfectly")
# "left" as the past of leave / remaining.
_LEFT_REMAINING_BEFORE = _words(
    """has have had having is was are were be been being 's 're 've 'd got get gets nothing anything
    something none little much many few any still only just never already recently then finally
    who which that i he she we they you it"""
)
_LEFT_VERB_AFTER = _words(
    """over behind alone unattended unchanged untouched undone unsaid unanswered open empty blank
    home town school work office early for with without a an this that these those him them us me"""
)
_PREV_WORD = re.compile(r"([A-Za-z']+)\s+$")
_NEXT_WORD = re.compile(r"^\s+([A-Za-z']+)")


def _neighbours(text: str, start: int, end: int) -> tuple[str | None, str | None, str | None]:
    """The word just before, the word just after (no punctuation in between), the word after that."""
    before = _PREV_WORD.search(text, max(0, start - 40), start)
    prev = before.group(1).lower() if before else None
    if prev and "'" in prev:
        prev = prev[prev.index("'") :]  # "you're" -> "'re", "isn't" -> "'t"
    after = _NEXT_WORD.match(text[end : end + 40])
    nxt = after.group(1).lower() if after else None
    following = None
    if after is not None:
        rest = _NEXT_WORD.match(text[end + after.end() : end + after.end() + 40])
        following = rest.group(1).lower() if rest else None
    if text[end : end + 1] == "-":  # "right-angled"
        hyphened = re.match(r"-([A-Za-z]+)", text[end : end + 40])
        nxt = hyphened.group(1).lower() if hyphened else nxt
    return prev, nxt, following


def _right_is_direction(prev: str | None, nxt: str | None, following: str | None, at_end: bool) -> bool:
    if nxt in _SIDE_AFTER or (nxt == "to" and following in ("left", "right")):
        return True
    if prev == "all" or nxt in _RIGHT_NOT_DIRECTION_AFTER or (nxt == "to" and following in _RIGHT_TO):
        return False
    if prev in _DIRECTION_BEFORE:
        return True
    if nxt in _PREPOSITION_AFTER:
        return False  # "right next to", "right behind": an intensifier
    if prev is not None and (prev in _COPULAS or prev in _RIGHT_ADVERBS_BEFORE) and (at_end or nxt is None):
        return False  # "you are right.", "just right"
    return True


def _left_is_direction(prev: str | None, nxt: str | None, following: str | None) -> bool:
    if nxt in _SIDE_AFTER or (nxt == "to" and following in ("left", "right")):
        return True
    if prev in _DIRECTION_BEFORE:
        return True
    if nxt in _LEFT_VERB_AFTER or prev in _LEFT_REMAINING_BEFORE:
        return False
    if nxt in ("the", "his", "her", "its", "their", "my", "your", "our") and prev is not None:
        return False  # "the man left the room"
    return True


def _is_idiom(text: str, start: int, end: int, word: str) -> bool:
    if word in ("left", "right"):
        prev, nxt, following = _neighbours(text, start, end)
        if word == "right":
            at_end = not text[end:].strip() or text[end:].lstrip()[:1] in ".,;:!?)"
            return not _right_is_direction(prev, nxt, following, at_end)
        return not _left_is_direction(prev, nxt, following)
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
