"""Clause-review bulletins: counts, grouping, period, anonymisation in every byte, the three formats, the CLI."""

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from system_tools import require, soffice_to_pdf

from clause_audit.bulletin.anonymize import name_core
from clause_audit.bulletin.chart import chart_png
from clause_audit.bulletin.collect import occurrences_from_reports, select
from clause_audit.bulletin.content import build_bulletin
from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.bulletin.render_docx import render_docx
from clause_audit.bulletin.render_html import render_html
from clause_audit.bulletin.render_markdown import render_markdown
from clause_audit.cli import main
from clause_audit.model import Report
from clause_audit.pipeline import audit_many, expand_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_MERCHANTS = (
    "星城力健健身有限公司",
    "悦颜坊美容美发有限公司",
    "安顺达机动车驾驶员培训有限公司",
    "青苗艺术培训学校有限公司",
    "车易达二手车经纪有限公司",
    "恒通优选二手车销售有限公司",
)
T0 = datetime(2026, 3, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def sample_occurrences():
    reports = [r for r in audit_many(expand_paths([SAMPLES])) if isinstance(r, Report)]
    assert len(reports) == 13
    return occurrences_from_reports(reports)


def occ(merchant, clause, quote, *, rule="prepaid/no-refund", domain="prepaid", when=T0, source=None, **kw):
    return Occurrence(
        source=source or f"{merchant or 'anon'}-{abs(hash(clause)) % 1000}.docx",
        content_hash=kw.pop("content_hash", f"hash-{merchant}-{source}"),
        merchant=merchant,
        domain=domain,
        audited_at=when,
        rule_id=rule,
        title=kw.pop("title", "预付款“概不退款”、不退卡"),
        category=kw.pop("category", "restrict_termination"),
        severity=kw.pop("severity", "high"),
        clause_number=kw.pop("clause_number", "第五条"),
        clause_text=clause,
        quote=quote,
        message=kw.pop("message", "约定概不退款，排除了消费者依法解除合同、请求返还预付款余额的权利。"),
        legal_basis=kw.pop("legal_basis", ("CPL-26¶2", "CAS-8(四)")),
        suggestion=kw.pop("suggestion", "乙方要求退卡的，甲方应在十五日内退还预付款余额。"),
        review_status=kw.pop("review_status", "confirmed"),
    )


def hand_built():
    """Three gyms/salons: two paraphrase one no-refund clause, the third breaks the rule differently."""
    return [
        occ("星光力健健身有限公司", "本卡一经售出，概不退款，不得转让。星光力健保留调整权利。", "概不退款"),
        occ("悦美坊美容美发有限公司", "会员卡售出后概不退款，亦不得转让他人。", "概不退款"),
        occ("金剪刀美发有限公司", "乙方中途停止服务的，所付费用不予退还。", "不予退还"),
        occ(
            "金剪刀美发有限公司",
            "本店保留对本卡的最终解释权，金剪刀美发享有最终决定权。",
            "保留对本卡的最终解释权",
            rule="general/final-interpretation",
            category="sole_interpretation",
            title="经营者单方享有（最终）解释权",
            legal_basis=("CAS-8(七)",),
            when=T0 + timedelta(days=40),
        ),
        occ(
            "安顺达机动车驾驶员培训有限公司",
            "最终解释权归安顺达驾校所有，安顺达保留调整收费标准的权利。",
            "最终解释权归安顺达驾校",
            rule="general/final-interpretation",
            domain="training",
            category="sole_interpretation",
            title="经营者单方享有（最终）解释权",
            legal_basis=("CAS-8(七)",),
        ),
    ]


HAND_MERCHANTS = (
    "星光力健健身有限公司",
    "悦美坊美容美发有限公司",
    "金剪刀美发有限公司",
    "安顺达机动车驾驶员培训有限公司",
)


# ---------------------------------------------------------------- content


def test_samples_count_each_docx_pdf_pair_once(sample_occurrences):
    b = build_bulletin(sample_occurrences)
    scope = {r.domain: (r.merchants, r.contracts) for r in b.scope}
    # 13 files: six contracts as .docx and .pdf, plus the laundry notice (no merchant name found)
    assert scope == {"prepaid": (3, 3), "used_car": (2, 2), "training": (2, 2)}
    assert (b.total.merchants, b.total.contracts) == (7, 7)
    assert [s.name for s in b.sections] == ["预付式消费", "二手车", "培训"]
    assert "7 家经营者的 7 份格式合同" in b.intro
    assert sum(r.total for r in b.stats) >= b.total.clauses > 0


def test_samples_group_similar_clauses_of_different_merchants(sample_occurrences):
    b = build_bulletin(sample_occurrences)
    training = next(s for s in b.sections if s.domain == "training")
    first = training.items[0]
    assert first.merchants == 2 and first.usage == "2 家经营者使用了类似条款"
    assert set(first.businesses) == {"安顺达机动车驾驶员培训有限公司", "青苗艺术培训学校有限公司"}
    counts = [i.merchants for i in training.items]
    assert counts == sorted(counts, reverse=True)
    # every item names its law with the article text
    assert all(c.text for s in b.sections for i in s.items for c in i.citations)


def test_hand_built_paraphrases_are_one_item_and_a_different_clause_another():
    b = build_bulletin(hand_built())
    prepaid = next(s for s in b.sections if s.domain == "prepaid")
    no_refund = [i for i in prepaid.items if i.rule_id == "prepaid/no-refund"]
    assert [(i.merchants, i.quote) for i in no_refund] == [(2, "概不退款"), (1, "不予退还")]
    assert set(no_refund[0].businesses) == {"星光力健健身有限公司", "悦美坊美容美发有限公司"}
    assert prepaid.items[0] is no_refund[0]  # most merchants first
    assert no_refund[0].message.startswith("约定概不退款") and no_refund[0].suggestion
    assert [c.heading for c in no_refund[0].citations] == [
        "《中华人民共和国消费者权益保护法》第二十六条第二款",
        "《合同行政监督管理办法》第八条第（四）项",
    ]
    scope = {r.domain: (r.merchants, r.contracts, r.clauses, r.items) for r in b.scope}
    assert scope == {"prepaid": (3, 3, 4, 3), "training": (1, 1, 1, 1)}


def test_representative_is_the_clause_most_like_the_others():
    clauses = [
        ("甲健身有限公司", "本卡一经售出，概不退款。"),
        ("乙健身有限公司", "本卡一经售出，概不退款，不得转让。"),
        ("丙健身有限公司", "本卡一经售出，概不退款，不得转让，不得退换，不得挂失补办。"),
    ]
    b = build_bulletin([occ(m, c, "概不退款") for m, c in clauses])
    (item,) = b.sections[0].items
    assert item.merchants == 3
    assert item.before + item.quote + item.after == "本卡一经售出，概不退款，不得转让。"


def test_period_filter_and_words():
    found = hand_built()
    march = select(found, since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert len(march) == 4 and all(o.audited_at.month == 3 for o in march)
    april = select(found, since=date(2026, 4, 1))
    assert [o.rule_id for o in april] == ["general/final-interpretation"]
    assert select(found, domain="training", until=date(2026, 3, 9)) == []
    assert (
        build_bulletin(march, since=date(2026, 3, 1), until=date(2026, 3, 31)).period == "2026年3月1日至2026年3月31日"
    )
    assert build_bulletin(found).period == "2026年3月10日至2026年4月19日"


def test_unreviewed_findings_are_flagged_in_the_note():
    found = [occ("甲健身有限公司", "本卡一经售出，概不退款。", "概不退款", review_status="open")]
    assert "尚未经工作人员复核确认" in build_bulletin(found).note
    assert "尚未" not in build_bulletin(hand_built()).note


# ---------------------------------------------------------------- anonymisation, every byte


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def _assert_no_names(blob: bytes | str, names, extra=()):
    text = blob if isinstance(blob, str) else blob.decode("utf-8", "replace")
    for name in names:
        for form in {name, name_core(name)} - {""}:
            assert form not in text, form
    for word in extra:
        assert word not in text, word


def _all_formats(b):
    png = chart_png(b)
    docx_bytes = render_docx(b, png)
    return {
        "docx": _docx_text(docx_bytes),
        "docx-raw": docx_bytes,
        "html": render_html(b, png),
        "markdown": render_markdown(b),
        "png": png,
    }


def test_anonymised_hand_built_bulletin_leaks_no_name():
    b = build_bulletin(hand_built(), anonymize=True, title="星光力健健身有限公司等经营者格式条款点评")
    outputs = _all_formats(b)
    for kind, blob in outputs.items():
        if kind == "docx-raw":
            continue
        _assert_no_names(blob, HAND_MERCHANTS, extra=("星光", "悦美坊", "金剪刀", "安顺达", ".docx"))
    items = {i.rule_id + i.quote: i for s in b.sections for i in s.items}
    assert set(items["prepaid/no-refund概不退款"].businesses) == {"某健身公司", "某美容美发店"}
    training = next(s for s in b.sections if s.domain == "training").items[0]
    assert training.quote == "最终解释权归某驾校" and training.after.startswith("所有，某驾校保留")
    assert "某驾校" in outputs["html"] and "某健身公司" in outputs["docx"]


def test_anonymised_sample_bulletin_leaks_no_name_in_any_format(sample_occurrences):
    b = build_bulletin(sample_occurrences, anonymize=True)
    outputs = _all_formats(b)
    sources = {Path(o.source).stem for o in sample_occurrences}
    for kind in ("docx", "html", "markdown", "png"):
        _assert_no_names(outputs[kind], SAMPLE_MERCHANTS, extra=sources)
    assert "最终解释权归某驾校" in outputs["html"]
    assert not b.listing
    with zipfile.ZipFile(io.BytesIO(outputs["docx-raw"])) as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dc:creator>clause-audit</dc:creator>" in core and "python-docx" not in core


def test_named_bulletin_lists_merchants_and_files(sample_occurrences):
    b = build_bulletin(sample_occurrences)
    html = render_html(b, None)
    assert "星城力健健身有限公司" in html and "gym-membership.docx" in html and "gym-membership.pdf" in html
    assert "附：点评合同清单" in html


# ---------------------------------------------------------------- formats


def test_docx_follows_bulletin_conventions_and_opens_in_libreoffice(sample_occurrences, tmp_path):
    b = build_bulletin(sample_occurrences, anonymize=True)
    data = render_docx(b, chart_png(b))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        body = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
        footer = "".join(z.read(n).decode() for n in names if n.startswith("word/footer"))
        core = z.read("docProps/core.xml").decode()
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    for font in ("宋体", "黑体", "仿宋", "楷体"):
        assert f'w:eastAsia="{font}"' in styles
    assert 'w:instr="PAGE"' in footer
    for heading in (
        "一、基本情况",
        "二、问题分布",
        "三、预付式消费领域的问题条款",
        "（一）",
        "【条款原文】",
        "【点评】",
        "【法律依据】",
        "【整改建议】",
    ):
        assert heading in body, heading
    assert "2 家经营者使用了类似条款" in body
    assert f"<dc:title>{b.title}</dc:title>" in core
    path = tmp_path / "bulletin.docx"
    path.write_bytes(data)
    soffice = require("soffice")
    pdf = soffice_to_pdf(soffice, path, tmp_path / "pdf", profile=tmp_path / "profile")
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    text = "".join(page.extract_text() or "" for page in reader.pages[:3])
    assert len(reader.pages) > 3
    assert "不公平格式条款点评报告" in text.replace(" ", "")


def test_html_is_self_contained_and_printable(sample_occurrences):
    b = build_bulletin(sample_occurrences)
    html = render_html(b, chart_png(b))
    assert '<img src="data:image/png;base64,' in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "url(" not in html and "@import" not in html
    assert "@media print" in html
    assert f"<title>{b.title}</title>" in html
    assert html.count('<article class="item') == b.total.items
    assert "<mark>最终解释权归安顺达驾校</mark>" in html


def test_markdown_has_the_same_content_and_a_text_chart(sample_occurrences):
    b = build_bulletin(sample_occurrences)
    md = render_markdown(b)
    assert md.startswith(f"# {b.title}\n")
    assert "## 一、基本情况" in md and "## 三、预付式消费领域的问题条款" in md
    assert md.count("\n### （") == b.total.items
    assert "| 合计 | 7 | 7 |" in md
    assert "█" in md and "2 家经营者使用了类似条款" in md
    assert "【法律依据】" in md and "  > 经营者不得以格式条款" in md


def test_chart_png_is_a_png_with_only_our_metadata(sample_occurrences):
    png = chart_png(build_bulletin(sample_occurrences))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks = re.findall(rb"tEXt([A-Za-z ]+)\x00", png)
    assert set(chunks) <= {b"Title", b"Software"}
    assert b"matplotlib" not in png


# ---------------------------------------------------------------- command line


def test_cli_writes_all_three_formats_anonymised(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("gym-membership.docx", "beauty-salon-card.pdf"):
        (folder / name).write_bytes((SAMPLES / "prepaid" / name).read_bytes())
    (folder / "driving-school.docx").write_bytes((SAMPLES / "training" / "driving-school.docx").read_bytes())
    for fmt, suffix in (("docx", "docx"), ("html", "html"), ("markdown", "md")):
        out = tmp_path / f"b.{suffix}"
        assert main(["bulletin", str(folder), "--anonymize", "--format", fmt, "-o", str(out)]) == 0
        data = out.read_bytes()
        text = _docx_text(data) if fmt == "docx" else data.decode()
        _assert_no_names(text, SAMPLE_MERCHANTS, extra=("gym-membership", "beauty-salon", "driving-school"))
        assert "某健身公司" in text and "某驾校" in text
    assert "已写入" in capsys.readouterr().err


def test_cli_domain_filter_and_title(tmp_path):
    out = tmp_path / "b.html"
    code = main(
        [
            "bulletin",
            str(SAMPLES),
            "--domain",
            "used_car",
            "--title",
            "二手车合同点评",
            "--format",
            "html",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    html = out.read_text("utf-8")
    assert "<title>二手车合同点评</title>" in html
    assert "二手车领域的问题条款" in html and "预付式消费领域" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html", "-o", "{tmp}/x.html"], "请指定要点评的合同文件"),
        (["{samples}", "--db", "sqlite:///{tmp}/x.db", "--format", "html", "-o", "{tmp}/x.html"], "只能二选一"),
        (["{samples}", "-o", "{tmp}/x.html"], "--format"),
        (["{samples}", "--format", "html"], "-o"),
        (["{samples}", "--format", "pdf", "-o", "{tmp}/x.pdf"], "不支持的输出格式"),
        (["{samples}", "--since", "2026-02-30", "--format", "html", "-o", "{tmp}/x.html"], "日期无效"),
        (
            ["{samples}", "--since", "2026-05-01", "--until", "2026-04-01", "--format", "html", "-o", "{tmp}/x.html"],
            "晚于",
        ),
        (["{tmp}/nothing", "--format", "html", "-o", "{tmp}/x.html"], "没有"),
        (["{samples}", "--format", "html", "-o", "{tmp}/missing/x.html"], "无法写入"),
        (["{samples}", "--format", "html", "-o", "{tmp}"], "目录"),
        (["{samples}", "--until", "2001-01-01", "--format", "html", "-o", "{tmp}/x.html"], "没有可点评的问题条款"),
    ],
)
def test_cli_bad_input_is_one_chinese_line_and_exit_2(args, message, tmp_path):
    (tmp_path / "nothing").mkdir()
    argv = [a.format(tmp=tmp_path, samples=SAMPLES / "prepaid" / "laundry-notice.txt") for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "clause_audit.cli", "bulletin", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CLAUSE_AUDIT_DEBUG": ""},
    )
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.html").exists()


def test_other_commands_do_not_import_matplotlib_or_docx():
    code = (
        "import sys; from clause_audit.cli import build_parser; build_parser();"
        "print(sorted(m for m in ('matplotlib', 'docx', 'jieba') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
