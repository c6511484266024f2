"""Preview pages: an original next to its variants, as one PNG or one self-contained HTML file.

* Images: the picture with its boxes and keypoints drawn, the caption's changed words marked.
* Audio: waveform and spectrogram pictures, word timings over the spectrogram, players in HTML.
* Text: the changed words marked against the original.

Variant ``v`` of the sample at position ``i`` is ``pipe(sample, index=i, epoch=v)``, exactly what
``multiaug augment`` writes for it.

Example:
    >>> import os, tempfile
    >>> import multiaug as ma
    >>> pipe = ma.Pipeline([ma.Identity()], seed=0)
    >>> target = os.path.join(tempfile.mkdtemp(), "p.html")
    >>> render(pipe, [{"text": "a red car"}], target, n=2).name
    'p.html'
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.core.config import to_jsonable
from multiaug.core.errors import ConfigError
from multiaug.core.fields import resolve_kinds
from multiaug.core.pipeline import Pipeline
from multiaug.preview import draw

__all__ = ["Version", "make_versions", "render", "render_html", "render_png"]

Version = tuple[str, dict[str, Any], dict[str, Any] | None]  # (title, sample, record)
IMAGE_TILE = 224
WIDE = 480


def make_versions(pipe: Pipeline, sample: Mapping[str, Any], n: int, index: int = 0) -> list[Version]:
    """The original and ``n`` variants of ``sample`` (variant ``v`` = ``pipe(sample, index=index, epoch=v)``).

    A variant that fails is shown as its error message instead.
    """
    versions: list[Version] = [("original", dict(sample), None)]
    for v in range(n):
        try:
            out, record = pipe(dict(sample), index=index, epoch=v, return_record=True)
        except Exception as exc:  # noqa: BLE001 - a preview shows the failure rather than stopping
            versions.append((f"variant {v}: failed", {"error": str(exc)}, None))
            continue
        versions.append((f"variant {v}", out, record))
    return versions


def _kinds(sample: Mapping[str, Any], fields: Mapping[str, str] | None) -> dict[str, str | None]:
    return resolve_kinds(sample, fields)


def _first(sample: Mapping[str, Any], kinds: Mapping[str, str | None], kind: str) -> Any:
    for key, k in kinds.items():
        if k == kind:
            return sample[key]
    return None


def _is_image_sample(sample: Mapping[str, Any], kinds: Mapping[str, str | None]) -> bool:
    return any(k == "image" for k in kinds.values())


def _audio_parts(sample: Mapping[str, Any], kinds: Mapping[str, str | None]) -> dict[str, Any]:
    audio = _first(sample, kinds, "audio")
    rate = _first(sample, kinds, "sample_rate")
    return {
        "audio": None if audio is None else np.asarray(audio, np.float32),
        "rate": int(rate) if rate else None,
        "transcript": _first(sample, kinds, "transcript"),
        "features": _first(sample, kinds, "spectrogram"),
    }


def _features_array(value: Any) -> np.ndarray | None:
    if value is None:
        return None
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    arr = np.asarray(value)
    return arr if arr.ndim in (2, 3) and arr.size else None


def _texts(sample: Mapping[str, Any], kinds: Mapping[str, str | None]) -> list[tuple[str, str]]:
    out = [(key, sample[key]) for key, k in kinds.items() if k in ("text", "caption") and isinstance(sample[key], str)]
    transcript = _first(sample, kinds, "transcript")
    if isinstance(transcript, Mapping) and isinstance(transcript.get("text"), str):
        out.append(("transcript", transcript["text"]))
    return out


# ----------------------------------------------------------------------------- PNG
def _panel(
    title: str, sample: Mapping[str, Any], original: Mapping[str, Any], fields: Mapping[str, str] | None
) -> np.ndarray:
    if "error" in sample and len(sample) == 1:
        return draw.stack(
            [draw.label_strip(title, WIDE, color=(200, 0, 0)), draw.text_block("", sample["error"], WIDE)]
        )
    kinds, okinds = _kinds(sample, fields), _kinds(original, fields)
    is_image = _is_image_sample(sample, kinds)
    width = IMAGE_TILE if is_image else WIDE
    parts = [draw.label_strip(title, width, color=(0, 0, 0))]
    if is_image:
        image_key = next(k for k, kind in kinds.items() if kind == "image")
        tile_sample = {"image": sample[image_key]}
        for kind in ("bboxes", "keypoints", "bbox_labels"):
            value = _first(sample, kinds, kind)
            if value is not None:
                tile_sample[kind] = value
        parts.append(draw.image_tile(tile_sample, IMAGE_TILE))
    audio = _audio_parts(sample, kinds)
    duration = None
    if audio["audio"] is not None and audio["rate"]:
        duration = draw._mono(audio["audio"]).size / audio["rate"]
        parts.append(draw.waveform(audio["audio"], width=WIDE, height=60))
        parts.append(draw.spectrogram(audio["audio"], audio["rate"], transcript=audio["transcript"], width=WIDE))
    feats = _features_array(audio["features"])
    if feats is not None:
        parts.append(draw.label_strip(f"spectrogram field {feats.shape}", WIDE))
        parts.append(
            draw.spectrogram(None, None, features=feats, transcript=audio["transcript"], duration=duration, width=WIDE)
        )
    originals = dict(_texts(original, okinds))
    for key, text in _texts(sample, kinds):
        parts.append(draw.text_block(originals.get(key, text), text, width))
    return draw.stack(parts, gap=2)


def _grid(panels: list[np.ndarray], columns: int) -> np.ndarray:
    rows = [draw.stack(panels[i : i + columns], axis=1, gap=10) for i in range(0, len(panels), columns)]
    return draw.stack(rows, axis=0, gap=14)


def render_png(
    groups: Sequence[list[Version]], path: str | os.PathLike[str], fields: Mapping[str, str] | None = None
) -> Path:
    """One PNG: for each sample, its original and variants in a grid; samples separated by a rule."""
    blocks = []
    for versions in groups:
        original = versions[0][1]
        panels = [_panel(t, s, original, fields) for t, s, _ in versions]
        is_image = _is_image_sample(original, _kinds(original, fields))
        blocks.append(_grid(panels, 5 if is_image else 2))
        blocks.append(np.full((3, max(b.shape[1] for b in blocks), 3), 200, np.uint8))
    picture = draw.stack(blocks[:-1] if blocks else blocks, gap=12)
    pad = np.full((picture.shape[0] + 24, picture.shape[1] + 24, 3), 255, np.uint8)
    pad[12:-12, 12:-12] = picture
    return _save_png(pad, path)


def _png_bytes(picture: np.ndarray) -> bytes:
    pil = draw._pil()
    buf = io.BytesIO()
    pil.fromarray(picture).save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _save_png(picture: np.ndarray, path: str | os.PathLike[str]) -> Path:
    from multiaug.data.files import atomic_write_bytes

    return atomic_write_bytes(path, _png_bytes(picture))


# ----------------------------------------------------------------------------- HTML
_STYLE = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px} h2{font-size:17px;margin-top:28px;border-top:1px solid #ccc;padding-top:12px}
.grid{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;max-width:500px}
.card h3{font-size:13px;margin:0 0 6px 0}
.card img{display:block;max-width:100%;margin:4px 0}
.card audio{width:100%;margin:4px 0}
.text{font-size:14px;line-height:1.5;margin:4px 0}
mark{background:#ffd666;padding:0 2px;border-radius:2px}
del{color:#999}
.key{color:#888;font-size:11px}
details{font-size:11px;color:#555} pre{white-space:pre-wrap;word-break:break-all}
.error{color:#b00}
"""


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _wav_uri(audio: np.ndarray, rate: int) -> str:
    import wave

    a = draw._mono(audio)
    pcm = (np.clip(a, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm.tobytes())
    return _data_uri("audio/wav", buf.getvalue())


def _html_text(original: str, new: str) -> str:
    if original == new:
        return html.escape(new)
    out = []
    for piece, tag in draw.text_changes(original, new):
        esc = html.escape(piece)
        out.append(f"<mark>{esc}</mark>" if tag == "new" else f"<del>{esc}</del> " if tag == "gone" else esc)
    return "".join(out)


def _card(title: str, sample: Mapping[str, Any], original: Mapping[str, Any], record: Any, fields: Any) -> str:
    if "error" in sample and len(sample) == 1:
        message = html.escape(sample["error"])
        return f'<div class="card"><h3>{html.escape(title)}</h3><div class="error">{message}</div></div>'
    kinds, okinds = _kinds(sample, fields), _kinds(original, fields)
    body = [f"<h3>{html.escape(title)}</h3>"]
    if _is_image_sample(sample, kinds):
        tile = {"image": _first(sample, kinds, "image")}
        for kind in ("bboxes", "keypoints", "bbox_labels"):
            value = _first(sample, kinds, kind)
            if value is not None:
                tile[kind] = value
        body.append(
            f'<img alt="{html.escape(title)}" src="{_data_uri("image/png", _png_bytes(draw.image_tile(tile, 320)))}">'
        )
    audio = _audio_parts(sample, kinds)
    duration = None
    if audio["audio"] is not None and audio["rate"]:
        duration = draw._mono(audio["audio"]).size / audio["rate"]
        body.append(f'<audio controls preload="none" src="{_wav_uri(audio["audio"], audio["rate"])}"></audio>')
        pic = draw.stack(
            [
                draw.waveform(audio["audio"], width=WIDE, height=60),
                draw.spectrogram(audio["audio"], audio["rate"], transcript=audio["transcript"], width=WIDE),
            ],
            gap=2,
        )
        body.append(f'<img alt="waveform and spectrogram" src="{_data_uri("image/png", _png_bytes(pic))}">')
    feats = _features_array(audio["features"])
    if feats is not None:
        pic = draw.spectrogram(
            None, None, features=feats, transcript=audio["transcript"], duration=duration, width=WIDE
        )
        body.append(f'<div class="key">spectrogram field {feats.shape}</div>')
        body.append(f'<img alt="spectrogram field" src="{_data_uri("image/png", _png_bytes(pic))}">')
    originals = dict(_texts(original, okinds))
    for key, text in _texts(sample, kinds):
        marked = _html_text(originals.get(key, text), text)
        body.append(f'<div class="key">{html.escape(key)}</div><div class="text">{marked}</div>')
    extra = {k: v for k, v in sample.items() if kinds.get(k) in ("label",) or (kinds.get(k) is None and k != "error")}
    if extra:
        shown = json.dumps(to_jsonable(extra), ensure_ascii=False, default=str)
        body.append(f'<div class="key">{html.escape(shown)}</div>')
    if record is not None:
        rec = json.dumps(to_jsonable(record), ensure_ascii=False, indent=1)
        body.append(f"<details><summary>replay record</summary><pre>{html.escape(rec)}</pre></details>")
    return '<div class="card">' + "".join(body) + "</div>"


def html_section(heading: str, groups: Sequence[list[Version]], fields: Mapping[str, str] | None = None) -> str:
    """The HTML of one section: a heading, then for each sample a grid of cards."""
    parts = [f"<h2>{html.escape(heading)}</h2>"] if heading else []
    for versions in groups:
        original = versions[0][1]
        cards = [_card(t, s, original, r, fields) for t, s, r in versions]
        parts.append('<div class="grid">' + "".join(cards) + "</div>")
    return "\n".join(parts)


def html_page(title: str, sections: Sequence[str], intro: str = "") -> str:
    """A complete, self-contained HTML page (pictures and audio are embedded)."""
    head = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head>"
    )
    lead = f"<p>{intro}</p>" if intro else ""
    return f"{head}<body><h1>{html.escape(title)}</h1>{lead}{''.join(sections)}</body></html>\n"


def render_html(
    groups: Sequence[list[Version]],
    path: str | os.PathLike[str],
    fields: Mapping[str, str] | None = None,
    title: str = "multiaug preview",
) -> Path:
    """One self-contained HTML page with a card per original and variant."""
    from multiaug.data.files import atomic_write_bytes

    page = html_page(title, [html_section("", groups, fields)])
    return atomic_write_bytes(path, page.encode("utf-8"))


def render(
    pipe: Pipeline,
    samples: Sequence[Mapping[str, Any]],
    path: str | os.PathLike[str],
    n: int = 8,
    *,
    indices: Sequence[int] | None = None,
) -> Path:
    """Preview ``n`` variants of each sample in ``path`` (``.png`` or ``.html``, by suffix).

    Raises:
        ConfigError: ``path`` has another suffix, or ``n`` is not positive.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".html", ".htm"):
        raise ConfigError(f"a preview is a .png or .html file, not {target.name!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ConfigError(f"-n must be a positive integer, got {n!r}")
    idx = list(indices) if indices is not None else list(range(len(samples)))
    groups = [make_versions(pipe, s, n, index=i) for s, i in zip(samples, idx)]
    if suffix == ".png":
        return render_png(groups, target, pipe.fields)
    return render_html(groups, target, pipe.fields)
