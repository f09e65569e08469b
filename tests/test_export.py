"""Design-review export: one standalone, printable HTML file (or Markdown) that matches the models."""

from __future__ import annotations

import base64
import html
import json
import random
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from staffplus_widgets import workfile
from staffplus_widgets.cli import main
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.documents import export
from staffplus_widgets.models.cost import CostModel
from staffplus_widgets.models.risks import RiskRegister
from staffplus_widgets.models.tradeoff import TradeOffMatrix

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))

import instructor_cohort as cohort  # noqa: E402

HOSTILE = cohort.HOSTILE


class Page(HTMLParser):
    """Every tag with its attributes, and the text of each element id (for aria-describedby)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self._open.append(a["id"])
            self.text_by_id.setdefault(a["id"], "")

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for ident in self._open:
            self.text_by_id[ident] += data

    def all(self, tag):
        return [a for t, a in self.tags if t == tag]


def _assert_inert_svg(svg: bytes) -> None:
    """An embedded chart is a picture only: no script, no handler, nothing fetched."""
    text = svg.decode("utf-8").lower()
    assert text.startswith("<svg") and "<script" not in text and "foreignobject" not in text
    assert not re.search(r"\son\w+\s*=", text)
    assert not re.search(r"(?:href|src)\s*=\s*\"(?!#)", text)


def assert_standalone(text: str) -> Page:
    """No scripts, no event handlers, nothing loaded from anywhere: only data: images and #anchors."""
    assert "<script" not in text.lower()
    page = Page(text)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "iframe", "object", "embed", "link", "base", "form", "svg", "math"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("src", "href", "action", "srcset", "poster", "data"):
                assert value is not None
                if name == "src":
                    assert value.startswith(
                        ("data:image/png;base64,", "data:image/svg+xml;base64,")
                    )
                    if value.startswith("data:image/svg+xml"):
                        _assert_inert_svg(base64.b64decode(value.split(",", 1)[1]))
                else:
                    assert value.startswith("#"), (tag, name, value[:60])
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    assert "url(" not in style and "@import" not in style
    meta = [a for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert (
        meta
        and "default-src 'none'" in meta[0]["content"]
        and "img-src data:" in meta[0]["content"]
    )
    return page


@pytest.fixture(scope="module")
def work(cohort_scenario):
    w, _ = cohort.good_work(
        cohort_scenario, "Ann Lee", random.Random(5), source="interview", attempts=2
    )
    return workfile.parse(workfile.dumps(w))  # exactly what export_file reads


@pytest.fixture(scope="module")
def page_html(cohort_scenario, work):
    return export.render_html(cohort_scenario, work)


def test_html_is_one_standalone_file(page_html):
    page = assert_standalone(page_html)
    images = page.all("img")
    # totals, sensitivity, heat map, cost breakdown, projection, scorecard
    assert len(images) == 6
    assert page_html.startswith("<!DOCTYPE html>") and page_html.rstrip().endswith("</html>")


def test_every_chart_has_alt_text_and_a_text_summary(page_html):
    page = Page(page_html)
    for img in page.all("img"):
        assert img["alt"] and len(img["alt"]) > 20
        described = img["aria-describedby"]
        assert len(page.text_by_id[described].strip()) > len(img["alt"]) + 20, described


def test_html_prints_well(page_html):
    style = re.search(r"<style>(.*?)</style>", page_html, re.S).group(1)
    assert (
        "@media print" in style and "break-before: page" in style and "break-inside: avoid" in style
    )
    # no dark backgrounds anywhere: every background colour is light
    for colour in re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", style):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        assert min(int(digits[i : i + 2], 16) for i in (0, 2, 4)) >= 0xE0, colour
    assert page_html.count('class="major') == 7  # seven sections, each starts a printed page


def test_a_wide_table_scrolls_in_its_own_box_not_the_page(page_html):
    # the score table has a column per criterion: it may be wider than the page's 62rem
    tables = page_html.count("<table")
    assert tables >= 4 and page_html.count('<div class="table-scroll"><table') == tables
    style = re.search(r"<style>(.*?)</style>", page_html, re.S).group(1)
    assert ".table-scroll { overflow-x: auto;" in style
    # a header may wrap (a long criterion name); the numbers under it do not
    assert "th.num" not in style.split("white-space: nowrap")[0].rsplit("}", 1)[-1]


def _row_cells(page_html: str, first_cell: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page_html, re.S):
        cells = [html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row starting with {first_cell!r}")


def _table(page_html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, as unescaped cell texts."""
    for table in re.findall(r"<table[^>]*>(.*?)</table>", page_html, re.S):
        if f">{html.escape(caption, quote=True)}</caption>" in table:
            body = table.split("<tbody>", 1)[1]
            return [
                [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def test_tradeoff_numbers_match_the_model(page_html, work):
    m = TradeOffMatrix.from_dict(work["tradeoff"])
    ranking = m.ranking()
    for name, total in m.totals().items():
        label = name + (
            " (baseline)" if any(o.baseline and o.name == name for o in m.options) else ""
        )
        cells = _row_cells(page_html, label)
        assert cells[-2] == f"{total:.2f}"
    if len(ranking.winners) == 1:
        assert (
            f"{ranking.winners[0]} (weighted total {m.totals()[ranking.winners[0]]:.2f})"
            in html.unescape(page_html)
        )
    share = m.robustness(draws=10_000, spread=0.5)
    assert f"stays first in {share * 100:.1f}% of 10,000" in html.unescape(page_html)
    for s in m.sensitivity():
        cells = _row_cells(page_html, s.criterion)
        if len(cells) == 6:  # the sensitivity table, not the criteria table
            assert cells[4] == (s.below or "nobody") and cells[5] == (s.above or "nobody")


def test_risks_are_sorted_by_severity(page_html, work):
    reg = RiskRegister.from_dict(work["risks"])
    text = html.unescape(page_html)
    positions = [text.index(f'<td class="text">{r.title}</td>') for r in reg.by_severity()]
    assert positions == sorted(positions)
    for n, r in enumerate(reg.by_severity(), 1):
        assert _row_cells(page_html, str(n))[1:6] == [
            r.title,
            r.category,
            str(r.likelihood),
            str(r.impact),
            str(r.severity),
        ]


def test_cost_total_and_projection_match_the_model(page_html, work, cohort_scenario):
    cost = CostModel.from_dict(prices=price_catalogue(), data=work["cost"])
    text = html.unescape(page_html)
    total = cost.estimate().total
    assert f"Total: {export.money(total)} a month." in re.sub(r"</?strong>", "", text)
    proj = cost.projection()
    assert _row_cells(page_html, "Total")[1:] == [export.money(p.total) for p in proj]
    for line in cost.estimate().lines:
        assert _row_cells(page_html, line.name)[2] == export.money(line.monthly_usd)
    low, high = cohort_scenario.cost_range()
    assert f"{export.money(low)} to {export.money(high)} a month" in text


def test_scorecard_shows_the_latest_attempt(cohort_scenario, work, page_html):
    latest = work["interviews"][-1]
    text = html.unescape(re.sub(r"</?strong>", "", page_html))
    assert "attempt 2 of 2" in text and f"score {latest['score']}/100" in text
    for item_id, status in latest["items"].items():
        assert _row_cells(page_html, item_id)[3] == status
    history = _table(page_html, "All attempts, oldest first")
    assert [row[2] for row in history] == [str(a["score"]) for a in work["interviews"]]


def test_hostile_text_is_escaped_everywhere(cohort_scenario):
    work = workfile.parse(workfile.dumps(cohort.hostile_text_work(cohort_scenario)))
    out = export.render_html(cohort_scenario, work)
    page = assert_standalone(out)
    assert not [a for t, a in page.tags if t == "img" and a.get("src") == "x"]
    escaped = html.escape(HOSTILE, quote=True)
    # every learner string holding markup appears only escaped
    strings: list[str] = []

    def walk(node):
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(work)
    hostile = [s for s in strings if "<" in s]
    assert len(hostile) > 20
    for s in hostile:
        assert s not in out
    shown = [
        "Mallory",
        "Option A",
        "Crit",
        "Risk",
        "mit",
        "owner",
        "det",
        "Team",
        "note",
        "My answer",
        "constraint",
        "reason",
        "why",
        "desc",
        "high",
        "text",
    ]
    for prefix in shown:
        assert html.escape(f"{prefix} {HOSTILE}", quote=True) in out, prefix
    assert out.count(escaped) >= 25


def test_markdown_has_the_same_numbers_and_no_live_markup(cohort_scenario, work):
    md = export.render_markdown(cohort_scenario, work)
    m = TradeOffMatrix.from_dict(work["tradeoff"])
    for total in m.totals().values():
        assert f"| {total:.2f} |" in md
    assert (
        export.money(
            CostModel.from_dict(prices=price_catalogue(), data=work["cost"]).estimate().total
        )
        in md
    )
    assert "data:image" not in md and "**Chart:" in md
    hostile = export.render_markdown(
        cohort_scenario, workfile.parse(workfile.dumps(cohort.hostile_text_work(cohort_scenario)))
    )
    assert "<script" not in hostile and "<img" not in hostile
    assert "&lt;script&gt;" in hostile
    # a table cell never gains extra columns from a learner's pipe
    assert md_table_rows_consistent(hostile)


def md_table_rows_consistent(md: str) -> bool:
    blocks = re.findall(r"((?:^\|.*\|\n)+)", md, re.M)
    for block in blocks:
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        if len(widths) != 1:
            return False
    return bool(blocks)


def test_md_escape_neutralises_links_lists_and_html():
    out = export.md_escape("[click](javascript:alert(1)) <b>x</b> *y* | z")
    assert (
        "[" not in out.replace("\\[", "") and "<b>" not in out and "\\|" in out and "\\*y\\*" in out
    )
    assert export.md_escape("1. item").startswith("1\\.") and export.md_escape("# h").startswith(
        "\\#"
    )
    assert export.md_escape("12.5%") == "12.5%"


def test_empty_work_renders_every_section(cohort_scenario):
    out = export.render_html(cohort_scenario, workfile.new_work(cohort_scenario.id, ""))
    assert_standalone(out)
    for text in (
        "No trade-off matrix yet",
        "Needs a trade-off matrix",
        "No risks recorded yet",
        "No cost lines yet",
        "No mock interview attempt yet",
        "No written answers",
    ):
        assert text in out
    assert "<img" not in out


def test_tie_and_exclusions_are_explained(cohort_scenario):
    m = TradeOffMatrix()
    for name in ("A", "B", "C"):
        m.add_option(name)
    m.add_criterion("cost", 1)
    m.set_score("A", "cost", 4)
    m.set_score("B", "cost", 4)
    m.set_score("C", "cost", 5)
    m.exclude("C", "no-gpu", "needs GPUs we do not have")
    work = workfile.new_work(cohort_scenario.id, "T")
    work["tradeoff"] = m.to_dict()
    text = html.unescape(export.render_html(cohort_scenario, work))
    assert "tie between A, B" in text
    assert "Nothing to test while A, B are tied for first" in text
    assert "C: excluded by 'no-gpu' because needs GPUs we do not have" in text
    assert _row_cells(export.render_html(cohort_scenario, work), "C")[-1] == "excluded"


def test_dollar_signs_in_learner_text_do_not_break_charts(cohort_scenario):
    m = TradeOffMatrix()
    m.add_option("save $\\frac$ now")
    m.add_option("costs $5 or $10")
    m.add_criterion("c $x^$", 1)
    m.set_score("costs $5 or $10", "c $x^$", 5)
    work = workfile.new_work(cohort_scenario.id, "$")
    work["tradeoff"] = m.to_dict()
    out = export.render_html(cohort_scenario, work)
    assert out.count("<img") == 2


def test_lone_surrogates_and_missing_glyphs_cannot_break_an_export(
    tmp_path, cohort_scenario, cohort_pack
):
    work = cohort.surrogate_work(cohort_scenario)
    work["learner"] += " 张三"
    out = export.render_html(cohort_scenario, work)
    out.encode("utf-8")  # every character is encodable
    assert "Surrogate \\ud800 张三" in out and out.count("<img") == 6
    export.render_markdown(cohort_scenario, work).encode("utf-8")
    src = tmp_path / "w.json"
    src.write_text(json.dumps(work, ensure_ascii=True), "ascii")
    # such a file can never be saved back as UTF-8: the command refuses it with a one-line reason
    with pytest.raises(StaffplusError, match="not valid Unicode"):
        export.export_file(src, tmp_path / "r.html", cohort_pack)


def test_malformed_latest_attempt_is_reported_not_fatal(cohort_scenario, work):
    broken = dict(work, interviews=[*work["interviews"], {"items": ["x"], "score": 5}])
    out = html.unescape(export.render_html(cohort_scenario, broken))
    assert "The latest attempt cannot be shown: interviews[2].items" in out


def test_export_file_picks_the_format_from_the_suffix(tmp_path, cohort_pack, work):
    src = workfile.save(tmp_path / "w.json", work)
    html_out = export.export_file(src, tmp_path / "out" / "r.HTML", cohort_pack)
    md_out = export.export_file(src, tmp_path / "r.md", cohort_pack)
    assert html_out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert md_out.read_text("utf-8").startswith("# Design review")
    with pytest.raises(StaffplusError, match="must end in .html or .md"):
        export.export_file(src, tmp_path / "r.pdf", cohort_pack)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "r.md", "w.json"], (
        "no temp files left"
    )


def test_export_file_uses_the_models_the_reader_built(
    tmp_path, cohort_pack, cohort_scenario, work, monkeypatch
):
    src = workfile.save(tmp_path / "w.json", work)
    expected = export.render_markdown(cohort_scenario, workfile.read(src))
    monkeypatch.setattr(
        workfile, "build_models", lambda doc: pytest.fail("export rebuilt the models")
    )
    out = export.export_file(src, tmp_path / "r.md", cohort_pack)
    assert out.read_text("utf-8") == expected


def test_export_never_moves_a_corrupt_work_file(tmp_path, cohort_pack):
    bad = tmp_path / "w.json"
    bad.write_text("{nope")
    with pytest.raises(StaffplusError, match="not valid JSON"):
        export.export_file(bad, tmp_path / "r.html", cohort_pack)
    assert bad.read_text() == "{nope" and not (tmp_path / "r.html").exists()


def run_cli(capsys, *args: str, check_rc: int) -> tuple[str, str]:
    """The CLI in-process (the scenario pack is loaded once); returns (stdout, stderr)."""
    rc = main(["--scenarios", str(FIXTURES), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    assert rc == check_rc, (out, err)
    return out, err


def test_cli_export_exit_codes(tmp_path, work, capsys):
    src = workfile.save(tmp_path / "w.json", work)
    out, _ = run_cli(capsys, "export", str(src), "--to", str(tmp_path / "r.html"), check_rc=0)
    assert out.strip() == str(tmp_path / "r.html")
    assert_standalone((tmp_path / "r.html").read_text("utf-8"))
    run_cli(capsys, "export", str(src), "--to", str(tmp_path / "r.md"), check_rc=0)
    _, err = run_cli(capsys, "export", str(src), "--to", str(tmp_path / "r.docx"), check_rc=1)
    assert len(err.strip().splitlines()) == 1 and err.startswith("staffplus export: ")
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "staffplus-work", "version": 2, "scenario": "no-such-scenario"})
    )
    assert (
        "unknown scenario id"
        in run_cli(capsys, "export", str(bad), "--to", str(tmp_path / "x.html"), check_rc=1)[1]
    )
    run_cli(
        capsys,
        "export",
        str(tmp_path / "missing.json"),
        "--to",
        str(tmp_path / "x.html"),
        check_rc=1,
    )
    run_cli(capsys, "export", str(src), check_rc=2)  # --to is required


def test_cli_export_as_a_process_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "staffplus_widgets",
            "export",
            str(bad),
            "--to",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"staffplus export: {bad}: is not UTF-8 text"]


def test_export_file_works_without_ipywidgets(tmp_path, work):
    src = workfile.save(tmp_path / "w.json", work)
    code = (
        "import sys\n"
        "sys.modules['ipywidgets'] = None  # importing it would now fail\n"
        "from staffplus_widgets.documents.export import export_file\n"
        "from staffplus_widgets.data.scenario import load_pack\n"
        f"out = export_file({str(src)!r}, {str(tmp_path / 'r.html')!r}, load_pack([{str(FIXTURES)!r}]))\n"
        "print(out.stat().st_size)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 10_000
