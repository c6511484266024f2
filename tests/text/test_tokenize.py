"""Loss-free tokenisation, case transfer and span bookkeeping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from multiaug.text.tokenize import Tokens, is_negation, is_number, match_case, reference_clean


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_untouched_text_round_trips(text: str) -> None:
    toks = Tokens.from_text(text)
    assert toks.text() == text
    assert len(toks.gaps) == len(toks.words) + 1


def test_words_keep_casing_digits_and_punctuation() -> None:
    toks = Tokens.from_text("It's 5 o'clock, Dr. Smith; COVID-19 costs $1,000.50!")
    assert toks.strings() == ["It's", "5", "o'clock", "Dr", "Smith", "COVID-19", "costs", "1,000.50"]
    assert toks.text() == "It's 5 o'clock, Dr. Smith; COVID-19 costs $1,000.50!"


def test_match_case() -> None:
    assert match_case("film", "Movie") == "Film"
    assert match_case("motion picture", "MOVIES") == "MOTION PICTURE"
    assert match_case("Film", "movie") == "film"
    assert match_case("film", "iPhone") == "film"
    assert match_case("", "Movie") == ""


def test_negations_and_numbers() -> None:
    assert all(is_negation(w) for w in ["not", "No", "never", "don't", "isn’t", "n't", "cannot"])
    assert not any(is_negation(w) for w in ["note", "know", "nothingness"])
    assert is_number("42") and is_number("3.5") and is_number("2nd") and not is_number("two")


def test_reference_clean_is_the_papers() -> None:
    assert reference_clean("It's 5 o'clock!") == "its oclock"
    assert reference_clean("Well-known  TEXT\n") == "well known text"


def test_edits_and_span_mapping() -> None:
    text = "Alice met Bob in New York."
    toks = Tokens.from_text(text)
    toks.replace(1, "greeted")
    toks.insert(0, "Yesterday")
    toks.delete(3)  # "Bob"
    out = toks.text()
    assert out == "Yesterday Alice greeted in New York."
    start, end = toks.map_span(17, 25)
    assert out[start:end] == "New York"
    assert toks.map_span(10, 13) is None  # "Bob" is gone
    toks.swap(0, 1)
    assert toks.text() == "Alice Yesterday greeted in New York."


def test_delete_keeps_punctuation_and_spacing() -> None:
    toks = Tokens.from_text("the dog, which barked")
    toks.delete(1)
    assert toks.text() == "the, which barked"
    toks = Tokens.from_text("a b c")
    toks.delete(2)
    assert toks.text() == "a b"
    toks = Tokens.from_text("(word) here")
    toks.delete(0)
    assert toks.text() == "() here"


def test_locked_gap_is_never_removed() -> None:
    toks = Tokens.from_text("x (New York) y")
    locked = [False, True, True, True, False]  # the gaps " (", " ", ") " touch the span "(New York)"
    assert toks.delete(0, locked) is True
    assert toks.text() == " (New York) y"  # the locked " (" stays as it was
    assert locked == [True, True, True, False]
    toks = Tokens.from_text("a (b) c")
    assert toks.delete(1, [False, True, True, False]) is False  # both neighbours locked: kept
    assert toks.text() == "a (b) c"
