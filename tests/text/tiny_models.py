"""Tiny random-weight models built locally for the model-based text steps (nothing is downloaded).

* a MarianMT translation model: sentencepiece models trained here on a few hundred sentences
  written here, a ``MarianTokenizer`` over them and a small ``MarianConfig``;
* a BERT-style masked LM with a WordPiece vocabulary written here.

Each is saved with ``save_pretrained`` and reloaded by the steps with ``local_files_only=True``.
:func:`shared_models` builds them once per process in a temporary folder.
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

_SUBJECTS = ["the dog", "a cat", "my friend", "the old man", "the children", "our teacher", "a small bird", "the team"]
_VERBS = ["likes", "sees", "watches", "finds", "wants", "reads", "builds", "paints", "visits", "helps"]
_OBJECTS = ["the house", "a red car", "the movie", "a good book", "the river", "the garden", "a new song",
            "the city", "the picture", "a long letter"]
_TAILS = ["today", "every day", "in the morning", "after school", "near the park", "at night", "again", "quickly"]


def sentences(n: int = 400, seed: int = 0) -> list[str]:
    """Simple English sentences from word lists (the training text of the tiny tokenizers)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
        out.append(s[0].upper() + s[1:])
    return out


def _pseudo_german(s: str) -> str:
    # A deterministic word-by-word rewrite, so that the target tokenizer sees different text.
    return " ".join(w[::-1] + "en" if w.isalpha() else w for w in s.split())


def train_spm(lines: list[str], vocab_size: int) -> bytes:
    """A unigram sentencepiece model of ``lines`` (no bos/eos/pad pieces), as bytes."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=1,
    )
    return model.getvalue()


def marian_tokenizer(work: Path, source_spm: bytes, target_spm: bytes, max_positions: int) -> Any:
    """A ``MarianTokenizer`` over two sentencepiece models, its files written in ``work``.

    The vocabulary starts with ``</s>`` (0), ``<unk>`` (1) and ``<pad>`` (2), then the pieces of
    the source model and those of the target model it lacks.
    """
    import sentencepiece as spm
    from transformers import MarianTokenizer

    work.mkdir(parents=True, exist_ok=True)
    (work / "source.spm").write_bytes(source_spm)
    (work / "target.spm").write_bytes(target_spm)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for name in ("source.spm", "target.spm"):
        proc = spm.SentencePieceProcessor(model_file=str(work / name))
        for i in range(proc.get_piece_size()):
            vocab.setdefault(proc.id_to_piece(i), len(vocab))
    (work / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    return MarianTokenizer(
        source_spm=str(work / "source.spm"), target_spm=str(work / "target.spm"), vocab=str(work / "vocab.json"),
        model_max_length=max_positions,
    )


def build_marian(
    folder: Path,
    seed: int = 0,
    *,
    corpus: list[str] | None = None,
    vocab_size: int = 120,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 64,
    max_positions: int = 64,
    eos_bias: float = 0.0,
) -> Path:
    """A random-weight MarianMT model plus its tokenizer, saved in ``folder``.

    The defaults make a tiny test model; the benchmark passes a corpus and a larger size.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    folder.mkdir(parents=True, exist_ok=True)
    src_lines = corpus if corpus is not None else sentences(400, seed)
    tgt_lines = [_pseudo_german(s) for s in src_lines]
    work = folder / "_spm"
    tok = marian_tokenizer(work, train_spm(src_lines, vocab_size), train_spm(tgt_lines, vocab_size), max_positions)
    config = MarianConfig(
        vocab_size=len(tok.encoder), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions, pad_token_id=2, eos_token_id=0, decoder_start_token_id=2,
        forced_eos_token_id=0, bad_words_ids=[[2]], num_beams=1, max_length=max_positions,
    )
    torch.manual_seed(seed)  # test code: the weights are random but reproducible
    model = MarianMTModel(config)
    if eos_bias:
        model.final_logits_bias[0, 0] = eos_bias  # make the random model end its sentences now and then
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    shutil.rmtree(work)
    return folder


def build_masked_lm(folder: Path, seed: int = 0) -> Path:
    """A random-weight BertForMaskedLM with a WordPiece vocabulary written here, saved in ``folder``."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    words: dict[str, None] = {}
    for s in sentences(200, seed):
        for w in s.lower().replace(".", " .").split():
            words.setdefault(w, None)
    extra = ["movie", "film", "book", "story", "house", "home", "big", "small", "happy", "sad", "walks", "runs",
             "##s", "##ed", "##ing", "quick", "brown", "fox", "jumps", "lazy", "dogs", "over", "near", "old", "said",
             "mary", ",", "'", "t", "42", "houses", "didn", "jump"]
    for w in extra:
        words.setdefault(w, None)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    vocab_file = folder / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizer(str(vocab_file), do_lower_case=True, model_max_length=64)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=64, pad_token_id=0,
    )
    torch.manual_seed(seed)
    model = BertForMaskedLM(config)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


_SHARED: dict[str, str] = {}


def shared_models() -> dict[str, str]:
    """``{"marian": folder, "marian_back": folder, "mlm": folder}``, built once per process."""
    if not _SHARED:
        import torch

        torch.set_num_threads(1)
        root = Path(tempfile.mkdtemp(prefix="multiaug-tiny-models-"))
        atexit.register(shutil.rmtree, root, True)
        _SHARED["marian"] = str(build_marian(root / "marian", seed=0))
        _SHARED["marian_back"] = str(build_marian(root / "marian_back", seed=1))
        _SHARED["mlm"] = str(build_masked_lm(root / "mlm", seed=0))
    return _SHARED


class LazyKwargs(Mapping[str, Any]):
    """Constructor arguments that need the tiny models; they are built when first read."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._value: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._value is None:
            self._value = self._make(shared_models())
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())
