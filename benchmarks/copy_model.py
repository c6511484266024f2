"""A small MarianMT model trained here to copy its input: a stand-in for a trained translation model.

There is no network on the benchmark machine, so no trained opus-mt model. A randomly initialised
model never ends a sentence, which hides what matters most for batched decoding in practice: rows
end at different times, roughly where their input ends. This module trains a small Marian model
(shared sentencepiece vocabulary for both sides) to reproduce random word sequences, which makes
it end each row where the row's input ends and give distinct outputs for distinct inputs.
Training takes some minutes on two CPU threads; the result is kept in a cache folder and reused.

Example (slow, so not run as a doctest)::

    folder = build_copy_model(Path("/tmp/copy"), words=["cat", "dog"], corpus=["a cat", "the dog"] * 50, steps=100)
"""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

__all__ = ["build_copy_model"]

#: Everything that decides the trained weights; a cached model is reused only if this matches.
RECIPE = {"d_model": 128, "layers": 2, "heads": 4, "ffn": 512, "vocab_size": 1000, "lr": 1e-3, "batch": 32,
          "min_words": 2, "max_words": 12, "max_tokens": 40, "seed": 0, "version": 1}


def build_copy_model(folder: Path, words: list[str], corpus: list[str], steps: int = 2000,
                     threads: int = 2, log: bool = True, **size: int) -> Path:
    """Train (or reuse from ``folder``) a Marian model that copies sequences of ``words``.

    Args:
        folder: Where the model and its tokenizer are saved (and looked for).
        words: The words the training sequences are drawn from (uniformly, so that only copying
            the source can predict the target).
        corpus: Text for the sentencepiece vocabulary.
        steps: Training steps (batches of ``RECIPE["batch"]``).
        threads: Torch threads while training.
        log: Print the loss now and then.
        **size: Overrides of ``RECIPE``'s sizes (``d_model``, ``layers``, ``heads``, ``ffn``,
            ``vocab_size``).

    Returns:
        ``folder``, holding a model ``from_pretrained`` can load, with its tokenizer.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    from tests.text.tiny_models import marian_tokenizer, train_spm

    unknown = set(size) - {"d_model", "layers", "heads", "ffn", "vocab_size"}
    if unknown:
        raise ValueError(f"unknown size overrides: {sorted(unknown)}")
    recipe = {**RECIPE, **size, "steps": steps, "n_words": len(words), "n_corpus": len(corpus)}
    stamp = folder / "recipe.json"
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    pieces = train_spm(corpus, recipe["vocab_size"])
    work = folder / "_spm"
    tok = marian_tokenizer(work, pieces, pieces, max_positions=128)  # one vocabulary: the task is a copy
    d = recipe["d_model"]
    config = MarianConfig(
        vocab_size=len(tok.encoder), d_model=d, encoder_layers=recipe["layers"], decoder_layers=recipe["layers"],
        encoder_attention_heads=recipe["heads"], decoder_attention_heads=recipe["heads"],
        encoder_ffn_dim=recipe["ffn"], decoder_ffn_dim=recipe["ffn"], max_position_embeddings=128,
        pad_token_id=2, eos_token_id=0, decoder_start_token_id=2, forced_eos_token_id=0, bad_words_ids=[[2]],
        num_beams=1, max_length=128, scale_embedding=True, dropout=0.0, attention_dropout=0.0,
        activation_dropout=0.0,
    )
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(recipe["seed"])
    model = MarianMTModel(config)
    model.train()
    rng = random.Random(recipe["seed"])
    opt = torch.optim.AdamW(model.parameters(), lr=recipe["lr"], weight_decay=0.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe["lr"], total_steps=steps, pct_start=0.05)
    start = time.perf_counter()
    for step in range(steps):
        texts = [" ".join(rng.choice(words) for _ in range(rng.randint(recipe["min_words"], recipe["max_words"])))
                 for _ in range(recipe["batch"])]
        batch = tok(texts, text_target=texts, padding=True, truncation=True, max_length=recipe["max_tokens"],
                    return_tensors="pt")
        labels = batch["labels"]
        labels[labels == config.pad_token_id] = -100
        loss = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=labels).loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if log and (step % 250 == 0 or step == steps - 1):
            print(f"  copy model: step {step}, loss {loss.item():.3f}, {time.perf_counter() - start:.0f} s", flush=True)
    torch.set_num_threads(previous_threads)
    model.eval()
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    shutil.rmtree(work)
    stamp.write_text(json.dumps(recipe))
    return folder
