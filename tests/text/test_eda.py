"""EDA steps: counts and invariants on real English text, protection, spans, odd inputs."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multiaug as ma
from multiaug import text as T
from multiaug.text.eda import STOPWORDS, n_changes
from multiaug.text.tokenize import Tokens

SENTENCES = [
    "The movies we watched last weekend were surprisingly good, but the ending felt rushed.",
    "My sister doesn't like coffee; she never drinks it after 6 pm.",
    "Researchers found that the new treatment reduced symptoms in 42 of 50 patients.",
    "A small brown dog is sleeping under the old wooden table near the window.",
    "He quickly opened the heavy door and walked into the dark, silent hallway.",
]


def _words(text: str) -> list[str]:
    return Tokens.from_text(text).strings()


def _run(step: ma.Augmenter, text: str, index: int, seed: int = 0) -> str:
    return ma.Pipeline([step], seed=seed)(text, index=index)


@pytest.mark.parametrize("text", SENTENCES)
def test_synonym_replacement_counts(text: str) -> None:
    words = _words(text)
    alpha = 0.2
    want = n_changes(alpha, len(words))
    for index in range(10):
        out = _run(T.SynonymReplacement(alpha=alpha), text, index)
        toks = Tokens.from_text(text)
        # Count the distinct original words that were replaced: compare word-aligned where lengths allow.
        assert out != text
        before = Counter(w.lower() for w in words)
        after = Counter(w.lower() for w in _words(out))
        lost = {w for w in before if after[w] < before[w]}
        assert 1 <= len(lost) <= want, (out, lost)
        assert not lost & STOPWORDS, "stopwords are never replaced"
        assert all(g.text in out for g in toks.gaps if g.text.strip()), "punctuation is kept"


def test_replacement_takes_the_case_and_the_inflection() -> None:
    lex = {"movie": ["film"], "movies": ["films"]}
    out = _run(T.SynonymReplacement(alpha=1.0, lexicon=lex), "Movies! MOVIES? movies.", 0)
    assert out == "Films! FILMS? films."
    out = _run(T.SynonymReplacement(alpha=0.5, protect=["fun"]), "Movies are fun", 0)
    assert out.rsplit(" are", 1)[0] in {
        "Films", "Pictures", "Moving pictures", "Moving-picture shows", "Motion pictures", "Motion-picture shows",
        "Picture shows", "Pics", "Flicks",
    }


@pytest.mark.parametrize("text", SENTENCES)
def test_random_insertion_adds_the_right_number_of_words(text: str) -> None:
    n = len(_words(text))
    want = n_changes(0.1, n)
    for index in range(5):
        out = _run(T.RandomInsertion(alpha=0.1), text, index)
        grown = len(out.split()) - len(text.split())
        assert want <= grown <= want * 4, out  # a synonym may have several words ("motion pictures")
        # Every original word is still there, in order.
        it = iter(_words(out))
        assert all(any(w == x for x in it) for w in _words(text)), out


@pytest.mark.parametrize("text", SENTENCES)
def test_random_swap_keeps_the_words_and_the_punctuation(text: str) -> None:
    for index in range(5):
        out = _run(T.RandomSwap(alpha=0.2), text, index)
        assert out != text
        assert sorted(w.lower() for w in _words(out)) == sorted(w.lower() for w in _words(text))
        assert [g.text for g in Tokens.from_text(out).gaps] == [g.text for g in Tokens.from_text(text).gaps]


def test_swap_moves_the_sentence_capital() -> None:
    outs = {_run(T.RandomSwap(alpha=0.1), "The dog ran", i) for i in range(20)}
    assert all(o[0].isupper() for o in outs), outs
    assert all(o.count("The") + o.count("the") == 1 for o in outs)


def test_random_deletion_rate_and_never_everything() -> None:
    text = " ".join(["word"] * 200)
    out = _run(T.RandomDeletion(rate=0.3), text, 0)
    kept = len(out.split())
    assert 100 < kept < 180  # about 70% of 200 survive
    assert _run(T.RandomDeletion(rate=1.0), "alpha beta gamma", 0) in {"alpha", "beta", "gamma"}
    assert _run(T.RandomDeletion(rate=1.0), "Single", 0) == "Single"


def test_protected_tokens_are_never_touched() -> None:
    text = "I did not see 3 cats and I won't visit Paris, never, at 10:30."
    protected = ["not", "3", "won't", "never", "10:30", "Paris"]
    steps = [
        T.RandomDeletion(rate=0.9, protect=["Paris"]),
        T.RandomSwap(alpha=0.5, protect=["paris"]),
        T.SynonymReplacement(alpha=0.9, protect=["Paris"]),
        T.EDA(alpha_sr=0.5, alpha_ri=0.5, alpha_rs=0.5, p_rd=0.5, protect=["Paris"]),
    ]
    for step in steps:
        for index in range(10):
            out = _run(step, text, index)
            for w in protected:
                assert w in out, (type(step).__name__, out)


def test_swap_keeps_protected_words_in_place() -> None:
    text = "alpha beta not gamma 7 delta"
    for index in range(10):
        out = _run(T.RandomSwap(alpha=1.0), text, index).split()
        assert out[2] == "not" and out[4] == "7"


def test_protect_regex() -> None:
    text = "Call me at office-555 or email bob@example.com today please"
    for index in range(10):
        out = _run(T.RandomDeletion(rate=0.9, protect_regex=[r"\S+@\S+"]), text, index)
        assert "bob@example.com" in out


def test_negations_and_numbers_can_be_unprotected() -> None:
    outs = {_run(T.RandomDeletion(rate=0.9, protect_negations=False, protect_numbers=False), "not 5 no", i)
            for i in range(20)}
    assert any("not" not in o for o in outs) and any("5" not in o for o in outs)


@pytest.mark.parametrize("make", [
    lambda: T.RandomDeletion(rate=0.7),
    lambda: T.RandomSwap(alpha=0.5),
    lambda: T.RandomInsertion(alpha=0.5),
    lambda: T.SynonymReplacement(alpha=0.9),
    lambda: T.EDA(alpha_sr=0.3, alpha_ri=0.3, alpha_rs=0.3, p_rd=0.5),
    lambda: T.KeyboardTypo(rate=0.5),
    lambda: T.CharNoise(rate=0.5),
    lambda: T.OcrNoise(rate=0.9),
])
def test_spans_are_protected_and_their_offsets_updated(make) -> None:  # type: ignore[no-untyped-def]
    text = "Yesterday Alice Smith flew from New York to San Francisco with her old friend."
    spans = [[10, 21, "PER"], [32, 40, "LOC"], (44, 57, "LOC")]
    pipe = ma.Pipeline([make()], seed=4)
    changed = 0
    for index in range(10):
        out = pipe({"text": text, "spans": spans}, index=index)
        changed += out["text"] != text
        assert [s[2] for s in out["spans"]] == ["PER", "LOC", "LOC"]
        assert isinstance(out["spans"][2], tuple) and isinstance(out["spans"][0], list)
        for (s, e, _), orig in zip(out["spans"], spans):
            assert out["text"][s:e] == text[orig[0]:orig[1]]
    assert changed


def test_spans_per_field_as_a_dict() -> None:
    sample = {"text": "the cat sat on the mat", "caption": "a dog in New York", "spans": {"caption": [[9, 17]]}}
    out = ma.Pipeline([T.RandomDeletion(rate=0.8)], seed=0)(sample, index=0)
    s, e = out["spans"]["caption"][0]
    assert out["caption"][s:e] == "New York"
    assert "text" not in out["spans"]


def test_bad_spans_are_refused() -> None:
    pipe = ma.Pipeline([T.RandomSwap()], seed=0)
    for bad in ([[5, 2]], [[0, 99]], [["a", 2]], "0-3", [[1]]):
        with pytest.raises(ma.AugmentationError) as info:
            pipe({"text": "hello there world", "spans": bad})
        assert info.value.field == "spans"
    with pytest.raises(ma.AugmentationError, match="several text fields"):
        pipe({"text": "a b", "caption": "c d", "spans": [[0, 1]]})
    with pytest.raises(ma.AugmentationError, match="not a text or caption field"):
        pipe({"text": "a b", "spans": {"other": [[0, 1]]}})


def test_transcripts_are_left_alone_unless_mapped() -> None:
    transcript = {"text": "the movies were good", "words": [{"word": "the", "start": 0.0, "end": 0.2}]}
    pipe = ma.Pipeline([T.SynonymReplacement(alpha=0.5), T.RandomSwap(alpha=0.5)], seed=0)
    out = pipe({"transcript": transcript, "text": "the movies were good"})
    assert out["transcript"] == transcript and out["text"] != "the movies were good"
    mapped = ma.Pipeline([T.RandomSwap(alpha=0.25)], seed=0, fields={"asr": "text"})
    assert mapped({"asr": "one two three four"})["asr"] != "one two three four"


def test_eda_augment_gives_distinct_variants() -> None:
    eda = T.EDA(num_aug=9)
    for text in SENTENCES:
        variants = eda.augment(text, seed=1)
        assert len(variants) == 9 and len(set(variants)) == 9 and text not in variants
    assert eda.augment(SENTENCES[0], seed=3) == eda.augment(SENTENCES[0], seed=3)
    assert eda.augment("", seed=0) == [] and eda.augment("42", seed=0) == []
    assert len(T.EDA(num_aug=4).augment("Hello", seed=0)) <= 4


def test_eda_in_a_pipeline_returns_one_sample_and_variants_give_many() -> None:
    eda = T.EDA(num_aug=6)
    pipe = ma.Pipeline([eda], seed=0)
    sample = {"text": SENTENCES[1], "label": 2}
    out = pipe(sample)
    assert set(out) == {"text", "label"} and isinstance(out["text"], str)
    variants = pipe.variants(sample, n=eda.num_aug)
    assert len({v["text"] for v in variants}) == 6 and all(v["label"] == 2 for v in variants)
    ops = {pipe(sample, index=i, return_record=True)[1]["steps"][0]["params"]["op"] for i in range(30)}
    assert ops == {"sr", "ri", "rs", "rd"}
    assert {ma.Pipeline([T.EDA(alpha_sr=0, alpha_ri=0, p_rd=0)], seed=0)(sample, index=i, return_record=True)[1]
            ["steps"][0]["params"]["op"] for i in range(10)} == {"rs"}


def test_for_training_size_follows_the_paper() -> None:
    small, mid, large = T.EDA.for_training_size(500), T.EDA.for_training_size(2000), T.EDA.for_training_size(5000)
    assert (small.alpha_sr, small.num_aug) == (0.05, 16)
    assert (mid.alpha_sr, mid.num_aug) == (0.05, 8)
    assert (large.alpha_sr, large.p_rd, large.num_aug) == (0.1, 0.1, 4)
    assert T.EDA.for_training_size(1_000_000).num_aug == 4 and T.EDA.for_training_size(50).num_aug == 16
    assert T.EDA.for_training_size(500, lexicon={"a": ["b"]}).lexicon == {"a": ["b"]}


def test_reference_mode_cleans_like_the_paper() -> None:
    outs = T.EDA(reference_mode=True, num_aug=4).augment("It's 5 o'clock, Bob!", seed=0)
    assert outs and all(re.fullmatch(r"[a-z ]+", o) for o in outs)
    out = ma.Pipeline([T.RandomSwap(reference_mode=True)], seed=0)("It's 5 o'clock, Bob!")
    assert sorted(out.split()) == ["bob", "its", "oclock"]
    with pytest.raises(ma.AugmentationError, match="reference_mode"):
        ma.Pipeline([T.RandomSwap(reference_mode=True)], seed=0)({"text": "It's here", "spans": [[0, 4]]})


def test_alpha_zero_changes_nothing() -> None:
    for step in (T.SynonymReplacement(alpha=0), T.RandomInsertion(alpha=0), T.RandomSwap(alpha=0),
                 T.RandomDeletion(rate=0)):
        assert _run(step, SENTENCES[0], 0) == SENTENCES[0]


@pytest.mark.parametrize("bad", [
    lambda: T.SynonymReplacement(alpha=1.5),
    lambda: T.SynonymReplacement(pos="x"),
    lambda: T.SynonymReplacement(stopwords="the"),
    lambda: T.RandomDeletion(rate=-0.1),
    lambda: T.EDA(num_aug=0),
    lambda: T.EDA(alpha_sr=0, alpha_ri=0, alpha_rs=0, p_rd=0),
    lambda: T.RandomSwap(protect="word"),
    lambda: T.RandomSwap(protect_regex=["("]),
    lambda: T.SynonymReplacement(lexicon="no-such-lexicon"),
    lambda: T.SynonymReplacement(lexicon=3),
])
def test_bad_arguments(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        bad()


ODD = ["", " ", "!!!", "?", "Hello", "42", "3.14 2.71", "...and", "é", "日本語のテキスト", "a\nb\tc", "🙂 🙃",
       "n't", "not not not", "Mr. O'Neil-Smith's", "A", "    lots   of    space    "]


@pytest.mark.parametrize("text", ODD)
def test_odd_inputs_never_crash(text: str) -> None:
    for step in (T.EDA(alpha_sr=0.5, alpha_ri=0.5, alpha_rs=0.5, p_rd=0.5), T.SynonymReplacement(alpha=0.5),
                 T.RandomInsertion(alpha=0.5), T.RandomSwap(alpha=0.5), T.RandomDeletion(rate=0.9)):
        for index in range(3):
            out = _run(step, text, index)
            assert isinstance(out, str)
            if not Tokens.from_text(text).words:
                assert out == text  # nothing to change
    T.EDA().augment(text, seed=0)


@given(st.text(max_size=60), st.integers(0, 2**32))
@settings(max_examples=60, deadline=None)
def test_any_text_any_seed(text: str, seed: int) -> None:
    for step in (T.EDA(alpha_sr=0.3, alpha_ri=0.3, alpha_rs=0.3, p_rd=0.3), T.RandomDeletion(rate=0.5)):
        out, rec = ma.Pipeline([step], seed=seed)(text, return_record=True)
        assert isinstance(out, str)
        assert ma.Pipeline([step], seed=seed).replay(rec, text) == out
