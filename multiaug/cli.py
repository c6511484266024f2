"""The ``multiaug`` command: list, validate, augment, preview and demo.

Exit status: 0 on success, 1 when the command failed or some samples failed, 2 on a usage error.

Example (shell, not run as a doctest)::

    multiaug list --modality image
    multiaug validate configs/image_caption.yaml
    multiaug augment cfg.yaml --input data/train.jsonl --output out/ --n 4 --seed 0 --workers 2
    multiaug preview cfg.yaml data/train.jsonl -n 16 -o preview.html
    multiaug demo --out demo-output
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from multiaug.core.errors import ConfigError, MultiaugError

__all__ = ["main", "pipeline_tree"]


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _format_params(params: Mapping[str, Any]) -> str:
    return "  ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in params.items())


def pipeline_tree(config: Mapping[str, Any]) -> str:
    """The steps of a config as an indented tree, with their non-default parameters.

    Example:
        >>> print(pipeline_tree({"name": "core.Pipeline", "params": {"seed": 0},
        ...                      "steps": [{"name": "core.Identity", "params": {"p": 0.5}}]}))
        core.Pipeline  seed=0
        └── core.Identity  p=0.5
    """
    lines: list[str] = []

    def walk(node: Mapping[str, Any], prefix: str, branch: str) -> None:
        params = _format_params(node.get("params") or {})
        lines.append(f"{prefix}{branch}{node['name']}{'  ' + params if params else ''}")
        children = node.get("steps") or []
        child_prefix = prefix + ("" if not branch else ("    " if branch == "└── " else "│   "))
        for i, child in enumerate(children):
            walk(child, child_prefix, "└── " if i == len(children) - 1 else "├── ")

    walk(config, "", "")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="multiaug", prog_name="multiaug")
def cli() -> None:
    """multiaug: seeded, replayable data augmentation for images, text and audio."""


# ----------------------------------------------------------------------------- list
@cli.command("list")
@click.option("--modality", "-m", default=None, help="Only this modality (core, image, text, audio, or a plugin's).")
def list_command(modality: str | None) -> None:
    """Registered augmenters, one line each (plugins included)."""
    from multiaug.core.registry import BUILTIN_MODALITIES, available, get

    names = available(modality)
    width = max((len(n) for n in names), default=0)
    for name in names:
        try:
            desc = get(name).describe()
        except (MultiaugError, ImportError) as exc:
            desc = f"(cannot be loaded: {exc})"
        click.echo(f"{name:<{width}}  {desc}")
    for mod, (module, extra) in BUILTIN_MODALITIES.items():
        if (modality is None or modality == mod) and not any(n.startswith(mod + ".") for n in names):
            try:
                importlib.import_module(module)
                why = "it registers no augmenters yet"
            except ImportError as exc:
                why = f'{exc}; install it with: pip install "multiaug[{extra}]"'
            click.echo(f"({mod}: not available: {why})", err=True)
    if not names and modality is not None and modality not in BUILTIN_MODALITIES:
        _fail(f"no augmenters are registered for the modality {modality!r}")


# ----------------------------------------------------------------------------- validate
@cli.command()
@click.argument("config", type=click.Path(dir_okay=False))
def validate(config: str) -> None:
    """Load CONFIG, print its pipeline tree, or report the exact place of an error."""
    import multiaug as ma

    try:
        pipe = ma.load(config)
    except ConfigError as exc:
        where = f" at {exc.path}" if exc.path else ""
        _fail(f"{config}{where}: {exc.message.removeprefix(f'{config}: ')}")
    except MultiaugError as exc:
        _fail(f"{config}: {exc}")
    click.echo(pipeline_tree(pipe.to_dict()))
    click.echo(f"ok: {len(pipe.walk())} step(s)")


# ----------------------------------------------------------------------------- augment
def print_summary(summary: Any, echo: Any = click.echo) -> None:
    """The end-of-run report of :func:`multiaug.data.expand`."""
    if summary.skipped_splits:
        skipped = ", ".join(f"{k}: {v}" for k, v in summary.skipped_splits.items())
        echo(f"split safety: only 'train' rows are augmented; left alone {skipped} (pass --all-splits to change)")
    if summary.classes_before is not None:
        echo("class counts before -> after:")
        width = max(len(k) for k in summary.classes_before) if summary.classes_before else 0
        for key, count in summary.classes_before.items():
            echo(f"  {key:<{width}}  {count} -> {summary.classes_after[key]}")
    echo(
        f"{summary.written} written, {summary.resumed} skipped (already done), {summary.failed} failed "
        f"of {summary.total} variants from {summary.augmented_sources} source(s); seed {summary.seed}; "
        f"output in {summary.output}"
    )
    if summary.failed:
        echo(f"failures are listed in {summary.output / 'errors.jsonl'}")
    if summary.stopped:
        echo("stopped at the first failure (--fail-fast); run the same command again to go on")


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option(
    "--input",
    "-i",
    "input_",
    required=True,
    type=click.Path(exists=True),
    help="Folder, file, or .jsonl/.csv manifest.",
)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--n", "-n", "n", type=click.IntRange(min=1), default=None, help="Variants per source (default 1).")
@click.option("--seed", "-s", type=click.IntRange(min=0), default=None, help="Pipeline seed (overrides the config's).")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True, help="Processes.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty output folder that is not this run.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failing sample.")
@click.option("--balance", metavar="FIELD", default=None, help="Make variants until every class of FIELD is as large.")
@click.option("--target", type=click.IntRange(min=1), default=None, help="With --balance: bring every class to N.")
@click.option("--all-splits", is_flag=True, help="Augment every split, not only 'train'.")
@click.option("--image-format", type=click.Choice(["png", "jpg"]), default="png", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def augment(
    config: str,
    input_: str,
    output: str,
    n: int | None,
    seed: int | None,
    workers: int,
    overwrite: bool,
    fail_fast: bool,
    balance: str | None,
    target: int | None,
    all_splits: bool,
    image_format: str,
    quiet: bool,
) -> None:
    """Write augmented variants of every source of --input to --output (resumable)."""
    from multiaug.data import expand

    if balance is not None and n is not None:
        _fail("--n and --balance exclude each other: --balance computes the variants per source")
    echo = (lambda msg: None) if quiet else (lambda msg: click.echo(msg, err=True))
    try:
        summary = expand(
            config,
            input_,
            output,
            n=n if n is not None else 1,
            seed=seed,
            workers=workers,
            overwrite=overwrite,
            fail_fast=fail_fast,
            balance=balance,
            target=target,
            all_splits=all_splits,
            image_format=image_format,
            progress=not quiet and sys.stderr.isatty(),
            log=echo,
        )
    except KeyboardInterrupt:
        click.echo("interrupted; run the same command again to resume", err=True)
        sys.exit(130)
    except MultiaugError as exc:
        _fail(str(exc))
    if not quiet:
        print_summary(summary)
    if summary.failed:
        sys.exit(1)


# ----------------------------------------------------------------------------- preview
@cli.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.argument("input_", metavar="INPUT", type=click.Path(exists=True))
@click.option("-n", "n", type=click.IntRange(min=1), default=8, show_default=True, help="Variants per sample.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="FILE.png or FILE.html.")
@click.option("--limit", type=click.IntRange(min=1), default=4, show_default=True, help="Samples to show.")
@click.option("--seed", "-s", type=click.IntRange(min=0), default=None, help="Pipeline seed.")
def preview(config: str, input_: str, n: int, output: str, limit: int, seed: int | None) -> None:
    """Render the first samples of INPUT next to N variants each, as FILE.png or FILE.html."""
    from pathlib import Path

    from multiaug.data import list_sources, load_pipeline, load_source
    from multiaug.preview import render

    if Path(output).exists():
        _fail(f"{output} exists; choose another file name (multiaug never overwrites your files)")
    try:
        pipe = load_pipeline(config, seed)
        sources = list_sources(input_, pipe.fields)[:limit]
        samples = [load_source(s, pipe.fields) for s in sources]
        path = render(pipe, samples, output, n=n, indices=[s.index for s in sources])
    except MultiaugError as exc:
        _fail(str(exc))
    click.echo(f"wrote {path}")


# ----------------------------------------------------------------------------- demo
@cli.command()
@click.option("--out", "out", default="multiaug-demo", show_default=True, type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Only the final lines.")
def demo(out: str, quiet: bool) -> None:
    """Run the bundled samples (photo + caption, speech + transcript, sentences) through the example
    configs; write the outputs, their manifests, a contact sheet and an HTML preview."""
    from multiaug.data.demo import run_demo

    try:
        report = run_demo(out, echo=(lambda msg: None) if quiet else click.echo)
    except MultiaugError as exc:
        _fail(str(exc))
    for line in report.final_lines():
        click.echo(line)
    if report.failed:
        sys.exit(1)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``multiaug`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="multiaug")


if __name__ == "__main__":  # pragma: no cover
    main()
