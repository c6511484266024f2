"""``multiaug demo``: the bundled samples through the example configs, with outputs and previews.

Three parts run, each an ordinary offline expansion (:func:`multiaug.data.expand`) into its own
folder with its own ``manifest.jsonl``:

* ``image/``: the photo with its caption, boxes and keypoints, through ``configs/image_caption.yaml``;
* ``audio/``: the speech clip with its word-timed transcript, through ``configs/speech.yaml``;
* ``text/``: the labelled sentences through ``configs/text.yaml``, balanced by ``label``; the
  ``test`` rows are left alone (split safety).

Then ``contact_sheet.png`` (every image step on the photo), ``preview_image.png``,
``preview_audio.png``, ``preview_text.png`` and ``preview.html`` (everything, with audio players)
are written. A part whose modality is not installed is skipped with a message saying so.

The output folder must be new, empty, or an earlier demo's (recognised by its ``.multiaug-demo``
file, which lists what the demo wrote; only those entries are replaced).

Example (not run as a doctest; it takes a few seconds)::

    from multiaug.data.demo import run_demo
    report = run_demo("demo-output")
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multiaug.core.errors import MissingDependencyError, MultiaugError
from multiaug.data.files import atomic_write_bytes
from multiaug.data.manifest import read_rows
from multiaug.data.runner import MANIFEST_NAME, OutputDirError, expand, load_pipeline, load_row
from multiaug.data.sources import list_sources, load_source

__all__ = ["DemoReport", "run_demo"]

MARKER = ".multiaug-demo"
ENTRIES = (
    "image",
    "audio",
    "text",
    "contact_sheet.png",
    "preview_image.png",
    "preview_audio.png",
    "preview_text.png",
    "preview.html",
    "README.txt",
)


@dataclass
class DemoPart:
    """One part of the demo and how it went."""

    name: str
    config: str
    input: str
    status: str = "not run"
    message: str = ""
    outputs: list[str] = field(default_factory=list)


@dataclass
class DemoReport:
    """What the demo wrote, part by part."""

    out: Path
    parts: list[DemoPart]
    extras: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """A part failed for another reason than a missing modality."""
        return any(p.status == "failed" for p in self.parts)

    def final_lines(self) -> list[str]:
        """The closing summary printed by the command."""
        lines = [f"demo written to {self.out}"]
        for p in self.parts:
            lines.append(f"  {p.name:<6} {p.status}{': ' + p.message if p.message else ''}")
        for name in self.extras:
            lines.append(f"  {self.out / name}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return lines


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        marker = out / MARKER
        if not marker.is_file():
            raise OutputDirError(
                f"{out} is not empty and is not an earlier demo's output; choose a new folder "
                "(the demo never writes over your files)"
            )
        try:
            listed = json.loads(marker.read_text(encoding="utf-8")).get("entries", [])
        except (ValueError, AttributeError):
            raise OutputDirError(f"{marker} is damaged; remove {out} yourself or choose a new folder") from None
        for name in listed:
            if name not in ENTRIES:  # only what a demo writes, whatever the marker says
                continue
            target = out / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / MARKER, json.dumps({"entries": list(ENTRIES)}).encode("utf-8"))


def _groups_from_run(part_out: Path, input_path: Path, fields: Any, limit: int | None = None) -> list[list[Any]]:
    """(title, sample, record) lists per source: the original, then what the run wrote for it."""
    rows = read_rows(part_out / MANIFEST_NAME)
    by_source: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_source.setdefault(row["source_index"], []).append(row)
    sources = {s.index: s for s in list_sources(input_path, fields)}
    groups = []
    for index in sorted(by_source)[:limit]:
        versions: list[Any] = [("original", load_source(sources[index], fields), None)]
        for row in sorted(by_source[index], key=lambda r: r["variant"]):
            versions.append((f"variant {row['variant']}", load_row(row, part_out, fields), row["record"]))
        groups.append(versions)
    return groups


def _contact_sheet(photo: Path, sidecar: dict[str, Any], out: Path) -> str:
    from multiaug.data.files import read_value
    from multiaug.image.draw import contact_sheet

    image = read_value("image", photo)
    targets = {k: sidecar[k] for k in ("bboxes", "keypoints") if k in sidecar}
    # steps=None: every registered image step, with arguments chosen by the image modality to be visible.
    sheet = contact_sheet(image, None, labels=sidecar.get("bbox_labels"), **targets)
    from multiaug.preview.render import _save_png

    _save_png(sheet, out / "contact_sheet.png")
    return "contact_sheet.png"


def run_demo(out: str | Path, echo: Callable[[str], None] | None = None, n: int = 6) -> DemoReport:
    """Run the demo into ``out``; returns a :class:`DemoReport`.

    Raises:
        OutputDirError: ``out`` is not empty and not an earlier demo's output.
    """
    from multiaug.configs import path as config_path
    from multiaug.preview.render import html_page, html_section, render_png
    from multiaug.samples import path as sample_path

    say = echo or (lambda msg: None)
    out = Path(out)
    _prepare(out)
    report = DemoReport(
        out,
        [
            DemoPart("image", "image_caption.yaml", "photo.jpg"),
            DemoPart("audio", "speech.yaml", "speech.wav"),
            DemoPart("text", "text.yaml", "sentences.jsonl"),
        ],
    )
    sections = []
    for part in report.parts:
        cfg, src = config_path(part.config), sample_path(part.input)
        part_out = out / part.name
        say(f"[{part.name}] {src.name} through {cfg.name} ...")
        if not src.exists():
            part.status, part.message = (
                "skipped",
                f"the sample {src.name} is not bundled (its modality has not shipped it)",
            )
            say(f"[{part.name}] skipped: {part.message}")
            continue
        try:
            pipe = load_pipeline(cfg)
            if part.name == "text":
                summary = expand(cfg, src, part_out, balance="label", target=6, log=say)
            else:
                summary = expand(cfg, src, part_out, n=n, log=say)
        except MultiaugError as exc:
            missing = isinstance(exc, MissingDependencyError) or "no augmenter is registered" in str(exc)
            part.status = "skipped" if missing else "failed"
            part.message = f"the {part.name} modality is not available: {exc}" if missing else str(exc)
            say(f"[{part.name}] {part.status}: {part.message}")
            continue
        part.status = "ok" if not summary.failed else "failed"
        part.message = f"{summary.written + summary.resumed} variants, manifest {part_out / MANIFEST_NAME}"
        if summary.failed:
            part.message += f", {summary.failed} failed (see {part_out / 'errors.jsonl'})"
        if summary.skipped_splits:
            left = ", ".join(f"{k}: {v}" for k, v in summary.skipped_splits.items())
            report.notes.append(f"{part.name}: split safety left these rows alone: {left}")
        if summary.classes_before is not None:
            counts = ", ".join(
                f"{k} {summary.classes_before[k]}->{summary.classes_after[k]}" for k in summary.classes_before
            )
            report.notes.append(f"{part.name}: balanced by label: {counts}")
        groups = _groups_from_run(part_out, src, pipe.fields, limit=4 if part.name == "text" else None)
        render_png(groups, out / f"preview_{part.name}.png", pipe.fields)
        report.extras.append(f"preview_{part.name}.png")
        sections.append(html_section(f"{part.name}: {src.name} through {cfg.name}", groups, pipe.fields))
        say(f"[{part.name}] {part.message}")

    photo = sample_path("photo.jpg")
    if photo.exists():
        try:
            sidecar = list_sources(photo)[0].columns
            report.extras.insert(0, _contact_sheet(photo, sidecar, out))
        except ImportError as exc:
            report.notes.append(f"no contact sheet: multiaug.image.draw is not available ({exc})")
        except MultiaugError as exc:
            report.notes.append(f"no contact sheet: {exc}")
    intro = (
        "Each original is followed by the variants <code>multiaug demo</code> wrote (read back from the output "
        "files). Changed words are <mark>marked</mark>; removed words are <del>struck through</del>. "
        "Open <code>replay record</code> under a variant for the exact parameters."
    )
    for part in report.parts:
        if part.status != "ok":
            sections.append(f"<h2>{part.name}</h2><p>{part.status}: {part.message}</p>")
    atomic_write_bytes(out / "preview.html", html_page("multiaug demo", sections, intro).encode("utf-8"))
    report.extras.append("preview.html")
    readme = "\n".join(report.final_lines()) + "\n"
    atomic_write_bytes(out / "README.txt", readme.encode("utf-8"))
    return report
