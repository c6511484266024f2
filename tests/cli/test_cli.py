from __future__ import annotations

import pytest
from click.testing import CliRunner

from multiaug.cli import cli, pipeline_tree
from multiaug.data import MANIFEST_NAME
from multiaug.data.manifest import read_rows


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_list_shows_names_and_descriptions(run):
    result = run("list", "--modality", "testaug")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("testaug.Shade") and "seeded per-pixel noise" in line for line in lines)
    everything = run("list")
    assert "core.Identity" in everything.output and "testaug.Suffix" in everything.output
    assert run("list", "--modality", "nosuchthing").exit_code == 1


def test_validate_prints_the_tree(run, tmp_path):
    cfg = tmp_path / "p.yaml"
    cfg.write_text(
        "params: {seed: 4}\nsteps:\n  - {name: testaug.Shade, p: 0.5}\n"
        "  - name: core.OneOf\n    steps: [{name: testaug.Suffix}, {name: core.Identity}]\n",
        encoding="utf-8",
    )
    result = run("validate", cfg)
    assert result.exit_code == 0
    assert result.output.splitlines()[:5] == [
        "core.Pipeline  seed=4",
        "├── testaug.Shade  p=0.5",
        "└── core.OneOf",
        "    ├── testaug.Suffix",
        "    └── core.Identity",
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("steps:\n  - {name: core.Identity}\n  - {name: core.OneOf, steps: [{name: core.Identity, bogus: 1}]}\n",
         "steps[1].steps[0].bogus"),
        ("steps:\n  - {name: testaug.Shade, p: 3}\n", "steps[0].p"),
        ("steps:\n  - {name: nosuch.Step}\n", "steps[0].name"),
    ],
)  # fmt: skip
def test_validate_reports_the_error_path(run, tmp_path, text, where):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(cfg)])
    assert result.exit_code == 1
    assert f"at {where}:" in result.output


def test_validate_unreadable_yaml(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("steps: [unclosed", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(cfg)])
    assert result.exit_code == 1 and "not valid (safe) YAML" in result.output


def test_pipeline_tree_nested_prefixes():
    tree = pipeline_tree(
        {"name": "core.Pipeline", "params": {}, "steps": [
            {"name": "core.Sequential", "steps": [{"name": "a.B", "params": {"x": "y"}}]},
            {"name": "c.D"},
        ]}
    )  # fmt: skip
    assert tree.splitlines() == [
        "core.Pipeline",
        "├── core.Sequential",
        "│   └── a.B  x='y'",
        "└── c.D",
    ]


def test_augment_summary_and_exit_codes(run, tmp_path, helpers, text_config):
    src = helpers.write_jsonl(
        tmp_path / "in.jsonl", [{"text": "one", "split": "train"}, {"text": "two", "split": "test"}]
    )
    result = CliRunner().invoke(
        cli, ["augment", str(text_config), "-i", str(src), "-o", str(tmp_path / "o"), "--n", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "2 written, 0 skipped (already done), 0 failed of 2 variants" in result.output
    assert "left alone test: 1" in result.output
    assert "%|" not in result.output  # no progress bar when stderr is not a terminal
    again = CliRunner().invoke(
        cli, ["augment", str(text_config), "-i", str(src), "-o", str(tmp_path / "o"), "--n", "2"]
    )
    assert "0 written, 2 skipped (already done)" in again.output
    other = CliRunner().invoke(
        cli, ["augment", str(text_config), "-i", str(src), "-o", str(tmp_path / "o"), "--n", "3"]
    )
    assert other.exit_code == 1 and "not empty" in other.output
    quiet = CliRunner().invoke(
        cli,
        [
            "augment",
            str(text_config),
            "-i",
            str(src),
            "-o",
            str(tmp_path / "q"),
            "--all-splits",
            "-q",
        ],
    )
    assert quiet.exit_code == 0 and quiet.output == ""
    assert len(read_rows(tmp_path / "q" / MANIFEST_NAME)) == 2


def test_augment_failures_exit_1_and_fail_fast(tmp_path, helpers, text_config):
    src = helpers.write_jsonl(tmp_path / "in.jsonl", [{"text": "FAIL now"}, {"text": "fine"}])
    result = CliRunner().invoke(cli, ["augment", str(text_config), "-i", str(src), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "1 written, 0 skipped (already done), 1 failed" in result.output
    assert "errors.jsonl" in result.output
    fast = CliRunner().invoke(
        cli, ["augment", str(text_config), "-i", str(src), "-o", str(tmp_path / "f"), "--fail-fast"]
    )
    assert fast.exit_code == 1 and "--fail-fast" in fast.output


def test_augment_balance_prints_counts(tmp_path, helpers, text_config):
    rows = [{"text": f"t{i}", "label": lab} for i, lab in enumerate("aaab")]
    src = helpers.write_jsonl(tmp_path / "in.jsonl", rows)
    result = CliRunner().invoke(
        cli,
        [
            "augment",
            str(text_config),
            "-i",
            str(src),
            "-o",
            str(tmp_path / "o"),
            "--balance",
            "label",
        ],
    )
    assert result.exit_code == 0
    assert "class counts before -> after:" in result.output
    assert "a  3 -> 3" in result.output and "b  1 -> 3" in result.output
    both = CliRunner().invoke(
        cli,
        [
            "augment",
            str(text_config),
            "-i",
            str(src),
            "-o",
            str(tmp_path / "x"),
            "--balance",
            "label",
            "--n",
            "2",
        ],
    )
    assert both.exit_code == 1 and "exclude each other" in both.output


def test_augment_workers_match(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 6)
    for w in ("1", "2"):
        result = CliRunner().invoke(
            cli,
            [
                "augment",
                str(shade_config),
                "-i",
                str(tmp_path / "in"),
                "-o",
                str(tmp_path / w),
                "-n",
                "2",
                "-w",
                w,
            ],
        )
        assert result.exit_code == 0, result.output
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert one == two and len(one) == 6 * 2 + 2


def test_progress_bar_when_asked(tmp_path, helpers, text_config, capsys):
    from multiaug.data import expand

    src = helpers.write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    expand(text_config, src, tmp_path / "o", n=3, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "variant/s" in err  # count, rate (and ETA) as tqdm shows them


def test_preview_png_and_html(tmp_path, helpers, shade_config, text_config):
    helpers.write_images(tmp_path / "in", 3, size=32)
    png = tmp_path / "p.png"
    result = CliRunner().invoke(cli, ["preview", str(shade_config), str(tmp_path / "in"), "-n", "4", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = CliRunner().invoke(cli, ["preview", str(shade_config), str(tmp_path / "in"), "-o", str(png)])
    assert again.exit_code == 1 and "exists" in again.output
    src = helpers.write_jsonl(tmp_path / "t.jsonl", [{"text": "a red car", "label": 1}])
    page = tmp_path / "t.html"
    result = CliRunner().invoke(cli, ["preview", str(text_config), str(src), "-n", "2", "-o", str(page)])
    assert result.exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('class="card"') == 3 and "<mark>" in html
    bad = CliRunner().invoke(cli, ["preview", str(text_config), str(src), "-o", str(tmp_path / "x.gif")])
    assert bad.exit_code == 1 and ".png or .html" in bad.output


def test_version_and_help(run):
    assert run("--help").exit_code == 0
    assert "multiaug" in run("--version").output
