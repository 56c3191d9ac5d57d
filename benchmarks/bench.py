#!/usr/bin/env python
"""clause-audit benchmark: stage times, throughput, peak memory and the issue's performance ratios.

    python benchmarks/bench.py [--quick] [--out DIR] [--keep-corpus] [--profile]

Builds a corpus from the bundled samples (big PDFs and DOCXs, batches of small documents), measures
every big document and every batch in a fresh child process (so each peak RSS is that measurement's
own), prints tables and ratios, and writes every figure as JSON to --out (default out/bench/).
See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEFAULT_OUT = ROOT / "out" / "bench"
PARAGRAPHS_PER_PAGE = 40  # nominal DOCX page when a sample has no PDF twin to calibrate against
STAGES = ("ingest", "segment", "parties", "classify", "match", "render")
RARE = "甲乙丙"  # appended to every anchor of a synthetic rule so it never matches real text

TARGETS = {
    "pdf_overhead": ("≤ 1.3", lambda x: x <= 1.3),
    "docx_overhead": ("≤ 2", lambda x: x <= 2.0),
    "rules_10x": ("≤ 1.5", lambda x: x <= 1.5),
    # not a target: a one-off per process, rule list and naming of the parties, linear in the anchors
    "rules_10x_cold": ("–", None),
    "parallel_j2": ("≥ 1.7", lambda x: x >= 1.7),
    "pdf500_peak_mb": ("< 500 MB", lambda x: x < 500),
}


# ====================================================================== helpers


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


# ====================================================================== corpus


def build_corpus(root: Path, quick: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """Big PDFs and DOCXs plus batch folders of sample copies; returns a manifest."""
    import docx
    import pypdf

    root.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(SAMPLES.rglob("*.pdf"))
    docxs = sorted(SAMPLES.rglob("*.docx"))
    if not pdfs or not docxs:
        raise SystemExit(f"no sample PDFs/DOCXs under {SAMPLES}")
    page_counts = {p: len(pypdf.PdfReader(p).pages) for p in pdfs}
    sizes = (5, 50) if quick else (5, 50, 500)
    manifest: dict[str, Any] = {"docs": {}, "batches": {}}

    # PDFs: the sample PDFs' pages in order, repeated until the page count is reached
    readers = [pypdf.PdfReader(p) for p in pdfs]
    cycle = [(r, i) for r in readers for i in range(len(r.pages))]
    for n in sizes:
        path = root / f"pdf-{n}p.pdf"
        writer = pypdf.PdfWriter()
        for k in range(n):
            reader, i = cycle[k % len(cycle)]
            writer.add_page(reader.pages[i])
        with path.open("wb") as fh:
            writer.write(fh)
        manifest["docs"][f"pdf-{n}"] = {"path": str(path), "kind": "pdf", "pages": n, "target": n}
        log(f"  {path.name}: {n} pages, {path.stat().st_size / 1e6:.1f} MB")

    # DOCX: the body of one sample replicated; its PDF twin says how many pages one copy fills
    source, per_copy, paragraphs = _docx_source(docxs, page_counts)
    for n in sizes:
        document = docx.Document(str(source))
        body = document.element.body
        items = [el for el in body if not el.tag.endswith("}sectPr")]
        anchor = body[-1] if body[-1].tag.endswith("}sectPr") else None
        copies = max(1, round(n / per_copy))
        for _ in range(copies - 1):
            for el in items:
                clone = copy.deepcopy(el)
                if anchor is not None:
                    anchor.addprevious(clone)
                else:
                    body.append(clone)
        path = root / f"docx-{n}p.docx"
        document.save(str(path))
        pages = copies * per_copy
        manifest["docs"][f"docx-{n}"] = {
            "path": str(path),
            "kind": "docx",
            "pages": round(pages, 1),
            "target": n,
            "paragraphs": copies * paragraphs,
            "source": str(source.relative_to(ROOT)),
            "copies": copies,
        }
        log(f"  {path.name}: {copies} × {source.name} ≈ {pages:.0f} nominal pages, {copies * paragraphs} paragraphs")

    # batches: copies of every sample PDF and DOCX, in turn
    small = sorted([*pdfs, *docxs])
    nominal = {p: float(page_counts[p]) for p in pdfs}
    for d in docxs:
        twin = d.with_suffix(".pdf")
        nominal[d] = float(page_counts[twin]) if twin in page_counts else _docx_paragraphs(d) / PARAGRAPHS_PER_PAGE
    batch_sizes = sorted({*(20, 200), 200} if quick else {100, 2000, 200})
    for n in batch_sizes:
        folder = root / f"batch-{n}"
        folder.mkdir(exist_ok=True)
        pages = 0.0
        for i in range(n):
            src = small[i % len(small)]
            shutil.copyfile(src, folder / f"{i:05d}-{src.name}")
            pages += nominal[src]
        manifest["batches"][str(n)] = {"path": str(folder), "docs": n, "pages": round(pages, 1)}
        log(f"  {folder.name}/: {n} documents, ≈ {pages:.0f} pages")

    # DOCX copies whose merchant (甲方) name is the sample's, or a new one in every copy
    n = 30 if quick else 100
    for kind in ("same", "distinct"):
        folder = root / f"merchants-{kind}-{n}"
        folder.mkdir(exist_ok=True)
        renamed = 0
        for i in range(n):
            src = docxs[i % len(docxs)]
            renamed += _copy_docx_renaming_merchant(
                src, folder / f"{i:05d}-{src.name}", i if kind == "distinct" else None
            )
        pages = sum(nominal[docxs[i % len(docxs)]] for i in range(n))
        manifest["batches"][f"merchants-{kind}"] = {"path": str(folder), "docs": n, "pages": round(pages, 1)}
        log(f"  {folder.name}/: {n} DOCX copies, merchant renamed in {renamed}")
    return manifest


def _copy_docx_renaming_merchant(src: Path, dest: Path, index: int | None) -> int:
    """Copy a DOCX; with an index, give its merchant a name no other copy has (1 if renamed)."""
    import zipfile

    from clause_audit.clauses import split_clauses
    from clause_audit.parties import find_parties
    from clause_audit.readers import read_bytes, read_document

    if index is None:
        shutil.copyfile(src, dest)
        return 0
    name = find_parties(split_clauses(read_document(read_bytes(src), str(src)))).merchant_name
    new = f"{name[:2]}{index:04d}{name[2:]}" if name else ""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if name and item.filename == "word/document.xml":
                data = data.replace(name.encode(), new.encode())
            zout.writestr(item, data)
    return int(bool(name))


def _docx_paragraphs(path: Path) -> int:
    import docx

    return len(docx.Document(str(path)).paragraphs)


def _docx_source(docxs: list[Path], page_counts: dict[Path, int]) -> tuple[Path, float, int]:
    """The sample DOCX with the most text among those with a PDF twin (else the longest one)."""
    import docx

    def chars(p: Path) -> int:
        return sum(len(par.text) for par in docx.Document(str(p)).paragraphs)

    twins = [d for d in docxs if d.with_suffix(".pdf") in page_counts]
    source = max(twins or docxs, key=chars)
    paragraphs = _docx_paragraphs(source)
    twin = source.with_suffix(".pdf")
    per_copy = float(page_counts[twin]) if twin in page_counts else paragraphs / PARAGRAPHS_PER_PAGE
    return source, per_copy, paragraphs


def synthetic_library(base: Path, dest: Path, factor: int, distinct: bool) -> int:
    """Every rule of the library at `base` plus factor-1 copies with new ids, copy i of a file in a
    file of its own (rule files have a size cap). With `distinct`, each copy's anchor patterns get a
    rare literal appended so they never match what the original matches."""
    import yaml

    from clause_audit.library import rule_files

    dest.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in rule_files(base):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        data.pop("disable", None)  # disables refer to earlier folders; this folder is loaded alone
        rules = list(data.get("rules") or [])
        target = dest / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        for i in range(factor):
            out = []
            for rule in rules:
                variant = copy.deepcopy(rule)
                if i:
                    variant["id"] = f"{rule['id']}-synth{i}"
                    if distinct and variant.get("match"):
                        variant["match"]["any"] = [f"(?:{p}){RARE}{i}" for p in variant["match"]["any"]]
                out.append(variant)
            copy_path = target if i == 0 else target.with_name(f"{target.stem}-synth{i}{target.suffix}")
            text = yaml.safe_dump({**data, "rules": out}, allow_unicode=True, sort_keys=False, width=1000)
            copy_path.write_text(text, "utf-8")
            count += len(out)
    return count


# ====================================================================== child-process work


def _warm() -> Any:
    """Imports, jieba's dictionary and the rulebook: the fixed start-up cost, kept out of timings."""
    from clause_audit import pipeline

    pipeline.warm_up()
    book = pipeline.default_rulebook()
    # one audit of a small sample of each kind: reader imports, OpenCC, the prefilter, lazy caches
    for suffix in (".pdf", ".docx"):
        sample = next(iter(sorted(SAMPLES.rglob(f"*{suffix}"))), None)
        if sample is not None:
            whole_audit(sample, book)
    # Chinese numerals: cn2an is imported on first use (~0.15 s), which a sample may not trigger
    pipeline.audit(
        "第一条 本卡有效期为三个月，违约金为百分之三十，即伍仟元。".encode(), filename="warm.txt", rulebook=book
    )
    return book


def staged(path: Path, book: Any) -> tuple[dict[str, float], dict[str, Any]]:
    """One audit of `path`, stage by stage, calling what pipeline.audit_document calls."""
    from clause_audit import engine
    from clause_audit.clauses import split_clauses
    from clause_audit.domains import detect_domain
    from clause_audit.engine import applicable_rules, find_problems
    from clause_audit.model import Report
    from clause_audit.parties import find_parties
    from clause_audit.readers import read_bytes, read_document

    t: dict[str, float] = {}
    t["ingest"], document = timed(lambda: read_document(read_bytes(path), str(path)))
    t["segment"], clauses = timed(lambda: split_clauses(document))
    t["parties"], parties = timed(lambda: find_parties(clauses))
    t["classify"], guess = timed(lambda: detect_domain("\n".join(c.text for c in clauses)))
    prepare = getattr(engine, "_prepare_all", None)
    if prepare is not None:  # engine._prepare_all (normalise every clause), for information:
        # find_problems does it again inside "match"
        t["normalise"], _ = timed(lambda: prepare(clauses))
    t["match"], (findings, errors) = timed(
        lambda: find_problems(clauses, applicable_rules(book, guess.code), parties, guess.code)
    )
    report = Report(
        source=document.source,
        format=document.format,
        domain=guess,
        rules_version=book.version,
        clauses=clauses,
        findings=tuple(findings),
        notices=document.notices,
        rule_errors=tuple(errors),
        merchant=parties.merchant_name,
    )
    t["render"], text = timed(lambda: json.dumps(report.to_dict(), ensure_ascii=False))
    info = {
        "blocks": len(document.blocks),
        "pages_read": document.pages,
        "chars": sum(len(b.text) for b in document.blocks),
        "clauses": len(clauses),
        "findings": len(findings),
        "domain": guess.code,
        "json_bytes": len(text.encode()),
    }
    return t, info


def whole_audit(path: Path, book: Any) -> int:
    """What a caller of the library does: audit() then the JSON report."""
    from clause_audit.pipeline import audit

    report = audit(path, rulebook=book)
    return len(json.dumps(report.to_dict(), ensure_ascii=False))


def bare_pdf(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def bare_docx(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    return sum(len(p.text) for p in document.paragraphs)


def task_doc(spec: dict[str, Any]) -> dict[str, Any]:
    """Stage times of one big document, with the whole audit and the bare library interleaved."""
    path = Path(spec["path"])
    book = _warm()
    base_rss = maxrss_mb()
    out: dict[str, Any] = {"stages": {}, "whole": [], "bare": [], "rss_after_warmup_mb": base_rss}
    bare = bare_pdf if spec["kind"] == "pdf" else bare_docx
    if spec["runs"] > 1:
        # untimed: the first audit of a naming of the parties compiles the candidate rules' patterns,
        # a once-per-process cost measured on its own ("cold parties" in the rules table)
        whole_audit(path, book)
    for _ in range(spec["runs"]):
        if spec.get("bare"):
            out["bare"].append(timed(lambda: bare(path))[0])
        if spec.get("whole"):
            out["whole"].append(timed(lambda: whole_audit(path, book))[0])
        if spec.get("stages", True):
            t, info = staged(path, book)
            for k, v in t.items():
                out["stages"].setdefault(k, []).append(v)
            out["info"] = info
    return out


def task_bare(spec: dict[str, Any]) -> dict[str, Any]:
    """Only the bare library over a document (for its own time and peak memory)."""
    path = Path(spec["path"])
    bare = bare_pdf if spec["kind"] == "pdf" else bare_docx
    if spec["kind"] == "pdf":
        import pdfplumber  # noqa: F401
    else:
        import docx  # noqa: F401
    base_rss = maxrss_mb()
    return {"bare": [timed(lambda: bare(path))[0] for _ in range(spec["runs"])], "rss_after_warmup_mb": base_rss}


def task_batch(spec: dict[str, Any]) -> dict[str, Any]:
    """Every document of a folder, stage by stage, in one process (as audit_many with -j 1)."""
    from clause_audit.errors import InputError

    book = _warm()
    files = sorted(p for p in Path(spec["path"]).iterdir() if p.is_file())
    base_rss = maxrss_mb()
    runs: list[dict[str, float]] = []
    failures = 0
    for _ in range(spec["runs"]):
        sums = dict.fromkeys((*STAGES, "normalise"), 0.0)
        t0 = time.perf_counter()
        for f in files:
            try:
                t, _info = staged(f, book)
            except InputError:
                failures += 1
                continue
            for k, v in t.items():
                sums[k] += v
        sums["wall"] = time.perf_counter() - t0
        runs.append(sums)
    return {"runs": runs, "docs": len(files), "failures": failures, "rss_after_warmup_mb": base_rss}


def task_rules(spec: dict[str, Any]) -> dict[str, Any]:
    """find_problems over the same prepared clauses with the real library and 10× libraries."""
    from clause_audit import engine
    from clause_audit.clauses import split_clauses
    from clause_audit.domains import detect_domain
    from clause_audit.library import packaged_rules_dir
    from clause_audit.parties import find_parties
    from clause_audit.readers import read_bytes, read_document
    from clause_audit.rulebook import load_rulebook

    real = _warm()
    path = Path(spec["path"])
    document = read_document(read_bytes(path), str(path))
    clauses = split_clauses(document)
    parties = find_parties(clauses)
    domain = detect_domain("\n".join(c.text for c in clauses)).code
    factor, runs = spec["factor"], spec["runs"]
    tmp = Path(tempfile.mkdtemp(prefix="bench-rules-"))
    try:
        libs: dict[str, Any] = {"real": (real, 0.0)}
        t_real_load, _ = timed(lambda: load_rulebook())
        libs["real"] = (real, t_real_load)
        variants = (("x10", True), ("x10_same_anchors", False)) if spec.get("same_anchors", True) else (("x10", True),)
        for name, distinct in variants:
            synthetic_library(packaged_rules_dir(), tmp / name, factor, distinct)
            t_load, book = timed(lambda d=tmp / name: load_rulebook([d]))  # type: ignore[misc]
            libs[name] = (book, t_load)
        out: dict[str, Any] = {
            "clauses": len(clauses),
            "clause_chars": sum(len(c.text) for c in clauses),
            "domain": domain,
            "factor": factor,
            "libraries": {},
        }
        cache = engine._prepare_all(clauses)  # normalisation done once, for "match only"
        for name, (book, t_load) in libs.items():
            try:
                out["libraries"][name] = _match_figures(
                    name, book, t_load, clauses, parties, domain, runs, spec.get("cold_runs", runs), cache
                )
            except Exception as exc:  # e.g. a pattern failing to compile: a finding, not a crash
                out["libraries"][name] = {"rules": len(book.rules), "error": f"{type(exc).__name__}: {exc}"}
        out["normalise"] = [timed(lambda: engine._prepare_all(clauses))[0] for _ in range(runs)]
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _match_figures(
    name: str,
    book: Any,
    t_load: float,
    clauses: Any,
    parties: Any,
    domain: str,
    runs: int,
    cold_runs: int,
    cache: list[Any],
) -> dict[str, Any]:
    from clause_audit import engine, prefilter
    from clause_audit.engine import applicable_rules, find_problems

    rules = applicable_rules(book, domain)

    def run(p: Any) -> float:
        return timed(lambda: find_problems(clauses, rules, p, domain))[0]

    def fresh(i: int) -> Any:
        # a naming of the business not seen before: every candidate rule's patterns are compiled
        # for it (the merchant's name alone is not part of any pattern)
        term = f"商户{name}{i}{time.time_ns()}"
        return dataclasses.replace(parties, merchant_terms=(term, *parties.merchant_terms[1:]))

    anchors = [r.match.spec.any for r in rules if r.match is not None]

    def compile_once() -> float:
        prefilter._pattern_requirements.cache_clear()  # every pattern's literals worked out afresh
        return timed(lambda: prefilter.LiteralPrefilter.of_patterns(anchors))[0]

    compile_s = [compile_once() for _ in range(cold_runs)]
    # cold: a party naming not seen before, so the candidate rules' patterns compile
    cold = [run(fresh(i)) for i in range(cold_runs)]
    run(parties)  # warm this naming's caches
    warm = [run(parties) for _ in range(runs)]
    orig_prepare = engine._prepare_all
    setattr(engine, "_prepare_all", lambda cs: cache if cs is clauses else orig_prepare(cs))  # noqa: B010
    try:
        only = [run(parties) for _ in range(runs)]
        findings, _errors = find_problems(clauses, rules, parties, domain)
    finally:
        setattr(engine, "_prepare_all", orig_prepare)  # noqa: B010
    return {
        "rules": len(book.rules),
        "clause_rules": sum(1 for r in book.rules if r.match is not None),
        "applicable": len(rules),
        "load_s": t_load,
        "match_with_normalise": warm,
        "match_only": only,
        "match_cold_parties": cold,
        "prefilter_build": compile_s,
        "findings": len(findings),
    }


def task_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """cProfile of whole audits (after a warm run); the top functions by own and cumulative time."""
    import cProfile
    import pstats

    book = _warm()
    out: dict[str, Any] = {}
    for key, p in spec["paths"].items():
        path = Path(p)
        whole_audit(path, book)
        prof = cProfile.Profile()
        prof.enable()
        whole_audit(path, book)
        prof.disable()
        prof.dump_stats(str(Path(spec["out"]) / f"profile-{key}.prof"))
        stats = pstats.Stats(prof)
        total = stats.total_tt  # type: ignore[attr-defined]
        rows: list[dict[str, Any]] = []
        for (file, line, fn), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            rows.append({"function": f"{_short(file)}:{line}({fn})", "calls": nc, "tottime": tt, "cumtime": ct})
        out[key] = {
            "total_s": total,
            "by_tottime": sorted(rows, key=lambda r: -r["tottime"])[:15],
            "by_cumtime": sorted(rows, key=lambda r: -r["cumtime"])[:60],
        }
    return out


def _short(file: str) -> str:
    for marker in ("site-packages/", "clause_audit/", "lib/python"):
        if marker in file:
            return file[file.index(marker) :].removeprefix("site-packages/")
    return file


TASKS = {"doc": task_doc, "bare": task_bare, "batch": task_batch, "rules": task_rules, "profile": task_profile}


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), or None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def other_load(busy_before: float | None, own_cpu: float | None, wall: float) -> float | None:
    """Average cores used by everything else on the machine while a measurement ran."""
    busy_after = busy_cpu_seconds()
    if busy_before is None or busy_after is None or own_cpu is None or wall <= 0:
        return None
    return max(0.0, (busy_after - busy_before - own_cpu) / wall)


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one task in a fresh interpreter; add its own peak RSS and CPU time (os.wait4)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec, ensure_ascii=False)]
    busy = busy_cpu_seconds()
    t0 = time.perf_counter()
    proc = RusagePopen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"child {spec['task']} failed ({proc.returncode}):\n{stderr.decode(errors='replace')}")
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    result["child_wall_s"] = wall
    if proc.rusage is not None:
        result["peak_rss_mb"] = proc.rusage.ru_maxrss / 1024
        result["cpu_s"] = proc.rusage.ru_utime + proc.rusage.ru_stime
        result["other_load_cores"] = other_load(busy, result["cpu_s"], wall)
    return result


class RusagePopen(subprocess.Popen):
    """Popen that reaps its child with os.wait4, keeping that child's own peak RSS and CPU time."""

    rusage: Any = None

    def _try_wait(self, wait_flags: int) -> tuple[int, int]:  # the hook CPython's POSIX wait() uses
        try:
            pid, status, rusage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid == self.pid:
            self.rusage = rusage
        return pid, status


# ====================================================================== main process: measurements


def measure_parallel(folder: Path, runs: int, log: Callable[[str], None]) -> dict[str, Any]:
    """`clause-audit audit DIR --format jsonl -j N`, output to /dev/null, j1 and j2 interleaved."""
    exe = shutil.which("clause-audit", path=str(Path(sys.executable).parent)) or shutil.which("clause-audit")
    base = [exe] if exe else [sys.executable, "-c", "import sys; from clause_audit.cli import main; sys.exit(main())"]
    out: dict[str, Any] = {"cmd": " ".join([*base, "audit", "DIR", "--format", "jsonl", "-j", "N"])}
    for j in (1, 2):
        out[f"j{j}"] = {"wall": [], "cpu": [], "peak_rss_mb": [], "other_load_cores": []}
    for r in range(runs):
        for j in (1, 2) if r % 2 == 0 else (2, 1):
            cmd = [*base, "audit", str(folder), "--format", "jsonl", "-j", str(j)]
            with open(os.devnull, "wb") as devnull:
                busy = busy_cpu_seconds()
                t0 = time.perf_counter()
                proc = RusagePopen(cmd, stdout=devnull, stderr=subprocess.PIPE, cwd=ROOT)
                _, err = proc.communicate()
                wall = time.perf_counter() - t0
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
            ru = proc.rusage
            out[f"j{j}"]["wall"].append(wall)
            if ru is not None:
                out[f"j{j}"]["cpu"].append(ru.ru_utime + ru.ru_stime)
                out[f"j{j}"]["peak_rss_mb"].append(ru.ru_maxrss / 1024)
                load = other_load(busy, ru.ru_utime + ru.ru_stime, wall)
                out[f"j{j}"]["other_load_cores"].append(load)
                cpu = ru.ru_utime + ru.ru_stime
                log(f"  -j {j} run {r + 1}: {wall:.2f} s (CPU {cpu:.1f} s; other load {load or 0:.2f} cores)")
            else:
                log(f"  -j {j} run {r + 1}: {wall:.2f} s")
    return out


def cli_fixed_costs(runs: int) -> dict[str, float]:
    """Wall time of `clause-audit --version` and of auditing one small sample: the per-invocation
    cost (imports, rulebook, jieba's dictionary) that a batch pays once and -j cannot spread."""
    exe = shutil.which("clause-audit", path=str(Path(sys.executable).parent))
    sample = next(iter(sorted(SAMPLES.rglob("*.docx"))), None)
    if not exe or sample is None:
        return {}
    out: dict[str, float] = {}
    for key, cmd in (
        ("version_s", [exe, "--version"]),
        ("one_docx_j1_s", [exe, "audit", str(sample), "--format", "jsonl", "-j", "1"]),
    ):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
            times.append(time.perf_counter() - t0)
        out[key] = med(times)
    return out


# ====================================================================== report


def summarise(raw: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {"docs": {}, "batches": {}, "ratios": {}}
    for key, res in raw["docs"].items():
        m = manifest["docs"][key]
        pages = m["pages"]
        stages = {k: med(v) for k, v in res["stages"].items()}
        total = sum(stages[s] for s in STAGES if s in stages)
        row = {
            "pages": pages,
            "runs": len(res["stages"].get("ingest", [])),
            "stage_s": stages,
            "stage_ms_per_page": {k: 1000 * v / pages for k, v in stages.items()},
            "stages_total_s": total,
            "whole_s": med(res["whole"]) if res["whole"] else None,
            "bare_s": med(res["bare"]) if res["bare"] else None,
            "pages_per_s": pages / total if total else None,
            "peak_rss_mb": res.get("peak_rss_mb"),
            "rss_after_warmup_mb": res.get("rss_after_warmup_mb"),
            "info": res.get("info", {}),
        }
        summary["docs"][key] = row
    for key, res in raw.get("bare_big", {}).items():
        summary["docs"].setdefault(key, {})["bare_only"] = {
            "bare_s": med(res["bare"]),
            "peak_rss_mb": res.get("peak_rss_mb"),
            "rss_after_warmup_mb": res.get("rss_after_warmup_mb"),
        }
    for key, res in raw["batches"].items():
        m = manifest["batches"][key]
        walls = [r["wall"] for r in res["runs"]]
        best = sorted(res["runs"], key=lambda run: run["wall"])[(len(walls) - 1) // 2]  # the median run
        wall = med(walls)
        summary["batches"][key] = {
            "docs": m["docs"],
            "pages": m["pages"],
            "runs": len(walls),
            "wall_s": wall,
            "docs_per_s": m["docs"] / wall,
            "pages_per_s": m["pages"] / wall,
            "stage_ms_per_doc": {k: 1000 * best[k] / m["docs"] for k in (*STAGES, "normalise")},
            "failures": res["failures"],
            "peak_rss_mb": res.get("peak_rss_mb"),
            "rss_after_warmup_mb": res.get("rss_after_warmup_mb"),
        }
    r = summary["ratios"]
    pdf, dcx = summary["docs"].get("pdf-50"), summary["docs"].get("docx-50")
    if pdf and pdf["whole_s"] and pdf["bare_s"]:
        r["pdf_overhead"] = {"ours_s": pdf["whole_s"], "base_s": pdf["bare_s"], "ratio": pdf["whole_s"] / pdf["bare_s"]}
    if dcx and dcx["whole_s"] and dcx["bare_s"]:
        r["docx_overhead"] = {
            "ours_s": dcx["whole_s"],
            "base_s": dcx["bare_s"],
            "ratio": dcx["whole_s"] / dcx["bare_s"],
        }
    rules = raw.get("rules")
    libraries = rules["libraries"] if rules else {}
    real, x10 = libraries.get("real", {}), libraries.get("x10", {})
    if "match_only" in real and "match_only" in x10:
        r["rules_10x"] = {
            "ours_s": med(x10["match_only"]),
            "base_s": med(real["match_only"]),
            "ratio": med(x10["match_only"]) / med(real["match_only"]),
        }
        r["rules_10x_cold"] = {
            "ours_s": med(x10["match_cold_parties"]),
            "base_s": med(real["match_cold_parties"]),
            "ratio": med(x10["match_cold_parties"]) / med(real["match_cold_parties"]),
        }
    par = raw.get("parallel")
    if par:
        j1, j2 = med(par["j1"]["wall"]), med(par["j2"]["wall"])
        r["parallel_j2"] = {"ours_s": j2, "base_s": j1, "ratio": j1 / j2}
    big = summary["docs"].get("pdf-500")
    if big and big.get("peak_rss_mb"):
        r["pdf500_peak_mb"] = {"value": big["peak_rss_mb"]}
    for name, item in r.items():
        target, ok = TARGETS[name]
        value = item.get("ratio", item.get("value"))
        item["target"] = target
        item["meets_target"] = None if ok is None else bool(ok(value))
    return summary


def print_report(summary: dict[str, Any], raw: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    docs = {k: row for k, row in summary["docs"].items() if "stage_s" in row}
    t = Table(title="Big documents (each in a fresh process): median ms · ms per page", title_justify="left")
    t.add_column("")
    for key, row in docs.items():
        t.add_column(f"{key}\n{row['pages']:g} p, {row['runs']} run{'s' if row['runs'] > 1 else ''}", justify="right")

    def ms(v: float | None, pages: float) -> str:
        return "–" if v is None else f"{1000 * v:,.1f} · {1000 * v / pages:.2f}"

    for stage in (*STAGES, "normalise"):
        label = "  (normalise, in match)" if stage == "normalise" else stage
        t.add_row(label, *(ms(row["stage_s"].get(stage), row["pages"]) for row in docs.values()))
    t.add_row("Σ stages", *(ms(row["stages_total_s"], row["pages"]) for row in docs.values()), end_section=False)
    t.add_row("audit() + json", *(ms(row["whole_s"], row["pages"]) for row in docs.values()))
    t.add_row(
        "bare library",
        *(ms(row["bare_s"] or row.get("bare_only", {}).get("bare_s"), row["pages"]) for row in docs.values()),
    )
    t.add_row("pages/s (Σ stages)", *(f"{row['pages_per_s']:.1f}" for row in docs.values()))
    t.add_row("peak RSS MB", *(f"{row['peak_rss_mb']:.0f}" for row in docs.values()))
    t.add_row("  RSS after warm-up", *(f"{row['rss_after_warmup_mb']:.0f}" for row in docs.values()))
    t.add_row(
        "  bare library alone",
        *(f"{row['bare_only']['peak_rss_mb']:.0f}" if "bare_only" in row else "–" for row in docs.values()),
    )
    console.print(t)
    notes = []
    for key, row in docs.items():
        info = row.get("info", {})
        if info:
            notes.append(
                f"{key}: {info['blocks']} blocks, {info['chars']:,} chars, {info['clauses']} clauses, "
                f"{info['findings']} findings, domain {info['domain']}, JSON {info['json_bytes'] / 1e6:.2f} MB"
            )
    notes.append(
        "1-run columns: 'match' includes the one-off compile for the document's party naming (cold caches); "
        "5-run columns report the median, after one untimed audit of the same document (warm)."
    )
    console.print("\n".join(notes), style="dim")

    batches = summary["batches"]
    t = Table(title="Batches of small documents (one process, one worker): ms per document", title_justify="left")
    t.add_column("")
    for key, row in batches.items():
        t.add_column(
            f"{key if key.startswith('merchants') else key + ' docs'}\n{row['docs']} docs ≈{row['pages']:.0f} p, "
            f"{row['runs']} run{'s' if row['runs'] > 1 else ''}",
            justify="right",
        )
    for stage in (*STAGES, "normalise"):
        label = "  (normalise, in match)" if stage == "normalise" else stage
        t.add_row(label, *(f"{row['stage_ms_per_doc'][stage]:.2f}" for row in batches.values()))
    t.add_row("wall s", *(f"{row['wall_s']:.2f}" for row in batches.values()))
    t.add_row("docs/s", *(f"{row['docs_per_s']:.1f}" for row in batches.values()))
    t.add_row("pages/s", *(f"{row['pages_per_s']:.1f}" for row in batches.values()))
    t.add_row("peak RSS MB", *(f"{row['peak_rss_mb']:.0f}" for row in batches.values()))
    t.add_row("  RSS after warm-up", *(f"{row['rss_after_warmup_mb']:.0f}" for row in batches.values()))
    t.add_row("failed", *(str(row["failures"]) for row in batches.values()))
    console.print(t)
    console.print(
        "merchants-same / merchants-distinct: the sample DOCXs copied as they are / with a new merchant (甲方) "
        "name in every copy; the difference is the per-new-name compile cost in match.",
        style="dim",
    )

    rules = raw.get("rules")
    if rules:
        t = Table(
            title=f"Rules: find_problems over {rules['clauses']} clauses ({rules['clause_chars']:,} chars, "
            f"domain {rules['domain']}); medians (ms)",
            title_justify="left",
        )
        cols = ("library", "rules", "applicable", "load ms", "prefilter build", "match only", "match+normalise")
        for col in (*cols, "cold parties", "findings"):
            t.add_column(col, justify="left" if col == "library" else "right")
        for name, lib in rules["libraries"].items():
            if "error" in lib:
                t.add_row(name, str(lib["rules"]), "", "", f"[red]{lib['error']}[/red]", "", "", "", "")
                continue
            t.add_row(
                name,
                str(lib["rules"]),
                str(lib["applicable"]),
                f"{1000 * lib['load_s']:.0f}",
                f"{1000 * med(lib['prefilter_build']):.1f}",
                f"{1000 * med(lib['match_only']):.1f}",
                f"{1000 * med(lib['match_with_normalise']):.1f}",
                f"{1000 * med(lib['match_cold_parties']):.1f}",
                str(lib["findings"]),
            )
        console.print(t)
        console.print(
            f"engine._prepare_all (normalising every clause) of the same clauses alone: "
            f"{1000 * med(rules['normalise']):.1f} ms; 'match only' has it cached, 'match+normalise' redoes it. "
            "x10: every rule + 9 copies whose anchors end in a rare literal (never candidates); "
            "x10_same_anchors: 9 plain copies (every copy is a candidate: worst case, for information). "
            "prefilter build = the literal prefilter of the rule list with every anchor's literals worked out afresh "
            "(runs keep them in the user cache); cold parties = find_problems for a naming of the "
            "business (甲方/乙方/…) not seen before, which compiles the candidate rules' patterns: "
            "once per process, rule list and naming, so it grows with the library while per-clause matching does not.",
            style="dim",
        )

    par = raw.get("parallel")
    if par:
        console.print(
            f"parallel: {par['cmd']} (200 docs) — "
            + "; ".join(
                f"-j {j}: wall {med(par[f'j{j}']['wall']):.2f} s (fastest {min(par[f'j{j}']['wall']):.2f} s), "
                f"CPU {med(par[f'j{j}']['cpu']):.2f} s"
                for j in (1, 2)
                if par[f"j{j}"]["cpu"]
            )
            + f"; fastest-run ratio {min(par['j1']['wall']) / min(par['j2']['wall']):.2f}",
            style="dim",
        )
    fixed = raw.get("cli_fixed")
    if fixed:
        console.print(
            f"CLI fixed cost per invocation: --version {1000 * fixed['version_s']:.0f} ms; "
            f"audit of one small DOCX (-j 1) {1000 * fixed['one_docx_j1_s']:.0f} ms",
            style="dim",
        )

    t = Table(title="Ratios against the issue's targets (measured side by side in this run)", title_justify="left")
    for col in ("ratio", "ours", "baseline", "value", "target", ""):
        t.add_column(col, justify="left" if col in ("ratio", "") else "right")
    labels = {
        "pdf_overhead": ("PDF 50 p: audit()+json ÷ pdfplumber extract_text", "audit", "pdfplumber"),
        "docx_overhead": ("DOCX 50 p: audit()+json ÷ python-docx load+paragraphs", "audit", "python-docx"),
        "rules_10x": ("match: 10× rules ÷ real rules (warm caches, normalisation cached)", "10×", "real"),
        "rules_10x_cold": ("match: 10× ÷ real, first document of a new party naming (one-off compile)", "10×", "real"),
        "parallel_j2": ("throughput -j 2 ÷ -j 1 (200 docs, CLI jsonl)", "-j 2", "-j 1"),
        "pdf500_peak_mb": ("500-page PDF peak RSS (fresh process)", "", ""),
    }
    for name, item in summary["ratios"].items():
        label, ours, base = labels[name]
        met = item["meets_target"]
        ok = "for information" if met is None else "[green]meets[/green]" if met else "[red]misses[/red]"
        if "ratio" in item:
            t.add_row(
                label,
                f"{ours} {_fmt_s(item['ours_s'])}",
                f"{base} {_fmt_s(item['base_s'])}",
                f"{item['ratio']:.2f}",
                item["target"],
                ok,
            )
        else:
            t.add_row(label, "", "", f"{item['value']:.0f} MB", item["target"], ok)
    console.print(t)

    busy = noisy_measurements(raw)
    if busy:
        console.print(
            "[yellow]The machine was busy with other work during: "
            + ", ".join(f"{k} ({v:.2f} cores)" for k, v in busy.items())
            + ". Those figures are slower than on an idle machine; rerun to confirm.[/yellow]"
        )

    prof = raw.get("profile")
    if prof:
        for key, p in prof.items():
            if not isinstance(p, dict):
                continue
            t = Table(
                title=f"cProfile, whole audit of {key} ({p['total_s']:.2f} s under the profiler): top own time",
                title_justify="left",
            )
            for col in ("function", "calls", "own s", "cum s"):
                t.add_column(col, justify="left" if col == "function" else "right")
            for row in p["by_tottime"][:12]:
                t.add_row(row["function"], f"{row['calls']:,}", f"{row['tottime']:.3f}", f"{row['cumtime']:.3f}")
            console.print(t)
            own_fns = [f for f in p["by_cumtime"] if f["function"].startswith("clause_audit/")][:10]
            console.print(
                "  clause_audit by cumulative s: "
                + ", ".join(f"{f['function'].removeprefix('clause_audit/')} {f['cumtime']:.3f}" for f in own_fns),
                style="dim",
            )


def noisy_measurements(raw: dict[str, Any], threshold: float = 0.25) -> dict[str, float]:
    """Measurements during which other processes used more than `threshold` cores on average."""
    out: dict[str, float] = {}
    for group in ("docs", "bare_big", "batches"):
        for key, res in raw.get(group, {}).items():
            load = res.get("other_load_cores")
            if load is not None and load > threshold:
                out[f"{group}/{key}"] = load
    for key in ("rules", "profile"):
        load = (raw.get(key) or {}).get("other_load_cores")
        if load is not None and load > threshold:
            out[key] = load
    par = raw.get("parallel") or {}
    for j in ("j1", "j2"):
        loads = [x for x in par.get(j, {}).get("other_load_cores", []) if x is not None]
        if loads and max(loads) > threshold:
            out[f"parallel -{j[0]} {j[1:]}"] = max(loads)
    return out


def _fmt_s(s: float) -> str:
    return f"{s:.2f} s" if s >= 1 else f"{1000 * s:.1f} ms"


# ====================================================================== entry point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="batches of 20 and 200, no 500-page documents")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder for the JSON figures (default out/bench/)"
    )
    parser.add_argument("--keep-corpus", action="store_true", help="build the corpus under OUT/corpus and keep it")
    parser.add_argument("--profile", action="store_true", help="also cProfile whole audits of the 50-page documents")
    parser.add_argument("--parallel-runs", type=int, default=None, help="runs of each -j (default 3; 2 with --quick)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        spec = json.loads(args.child)
        result = TASKS[spec["task"]](spec)
        print(json.dumps(result, ensure_ascii=False))
        return 0

    from rich.console import Console

    console = Console() if sys.stdout.isatty() else Console(width=150)
    log = console.print
    started = time.perf_counter()
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if args.keep_corpus:
            corpus = out_dir / "corpus"
            shutil.rmtree(corpus, ignore_errors=True)
        else:
            corpus = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clause-audit-bench-")))
        log(f"[bold]corpus[/bold] → {corpus}")
        t_corpus, manifest = timed(lambda: build_corpus(corpus, args.quick, log))
        raw = run_all(args, manifest, out_dir, log)
        raw["corpus_build_s"] = t_corpus

    summary = summarise(raw, manifest)
    console.print()
    print_report(summary, raw, console)
    elapsed = time.perf_counter() - started
    payload = {
        "meta": _meta(args, elapsed),
        "manifest": _portable(manifest),
        "summary": summary,
        "raw": raw,
    }
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"bench-{'quick-' if args.quick else ''}{stamp}.json"
    for target in (out_dir / name, out_dir / ("latest-quick.json" if args.quick else "latest.json")):
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=2), "utf-8")
    for label, message in raw.get("errors", {}).items():
        console.print(f"[red]failed:[/red] {label}: {message[:300]}")
    console.print(f"\nfigures → {out_dir / name}   (whole run {elapsed:.0f} s)")
    return 1 if raw.get("errors") else 0


def run_all(args: argparse.Namespace, manifest: dict[str, Any], out_dir: Path, log: Callable[[str], None]) -> dict:
    raw: dict[str, Any] = {"docs": {}, "batches": {}, "bare_big": {}}

    @contextlib.contextmanager
    def step(label: str) -> Iterator[None]:
        """One measurement; a failing one is logged and recorded, and the others still run."""
        t0 = time.perf_counter()
        log(f"[bold]{label}[/bold] …")
        try:
            yield
        except Exception as exc:
            raw.setdefault("errors", {})[label] = f"{type(exc).__name__}: {exc}"
            log(f"  [red]failed[/red]: {type(exc).__name__}: {str(exc)[-1500:]}")
            return
        log(f"  done in {time.perf_counter() - t0:.1f} s")

    for key, m in manifest["docs"].items():
        big = m["target"] >= 500
        spec = {"task": "doc", "path": m["path"], "kind": m["kind"], "runs": 1 if big else 5}
        spec["whole"] = not big
        spec["bare"] = m["target"] == 50  # the ratio documents
        with step(f"{key} ({'1 run' if big else '5 runs'}, fresh process)"):
            raw["docs"][key] = run_child(spec)
        if big:
            with step(f"{key}: bare library alone (fresh process)"):
                raw["bare_big"][key] = run_child({"task": "bare", "path": m["path"], "kind": m["kind"], "runs": 1})

    batch_keys = ["20", "200"] if args.quick else ["100", "2000"]
    for key in batch_keys:
        m = manifest["batches"][key]
        runs = 3 if m["docs"] <= 100 else 1
        with step(f"batch of {key} ({runs} run{'s' if runs > 1 else ''}, fresh process)"):
            raw["batches"][key] = run_child({"task": "batch", "path": m["path"], "runs": runs})

    for kind in ("same", "distinct"):
        m = manifest["batches"][f"merchants-{kind}"]
        with step(f"DOCX batch, {kind} merchant names ({m['docs']} docs, 1 run, fresh process)"):
            raw["batches"][f"merchants-{kind}"] = run_child({"task": "batch", "path": m["path"], "runs": 1})

    with step("rules: real library vs 10× synthetic (fresh process)"):
        spec = {"task": "rules", "path": manifest["docs"]["pdf-50"]["path"], "factor": 10, "runs": 3}
        if args.quick:
            spec.update(cold_runs=1, same_anchors=False)
        raw["rules"] = run_child(spec)

    runs = args.parallel_runs or (2 if args.quick else 3)
    with step(f"parallel: CLI -j 1 vs -j 2 on 200 documents ({runs} run{'s' if runs > 1 else ''} each)"):
        raw["parallel"] = measure_parallel(Path(manifest["batches"]["200"]["path"]), runs, log)
    raw["cli_fixed"] = cli_fixed_costs(3)

    if args.profile:
        paths = {k: manifest["docs"][k]["path"] for k in ("pdf-50", "docx-50")}
        with step("cProfile of the 50-page documents"):
            raw["profile"] = run_child({"task": "profile", "paths": paths, "out": str(out_dir.resolve())})
    return raw


def _portable(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without temp-folder paths (they are gone when the JSON is read)."""
    out = json.loads(json.dumps(manifest))
    for group in out.values():
        for item in group.values():
            item["path"] = Path(item["path"]).name
    return out


def _meta(args: argparse.Namespace, elapsed: float) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "elapsed_s": elapsed,
        "memory_method": "ru_maxrss of each fresh child process, read with os.wait4 (peak resident set, MB)",
        "timing": "time.perf_counter; documents: medians of 5 runs after one untimed audit; "
        "small batches: medians of 3; rules: medians of 5; 1 run for 500-page documents and big batches",
    }
    with contextlib.suppress(Exception):
        meta["git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT, check=False)
        meta["git_dirty"] = bool(dirty.stdout.strip())
    with contextlib.suppress(Exception):
        from clause_audit.library import library_version, packaged_rules_dir

        meta["rules_version"] = library_version([packaged_rules_dir()])
        from clause_audit.rulebook import load_rulebook

        meta["rules"] = len(load_rulebook().rules)
    for mod in ("pdfplumber", "docx", "jieba", "re2", "pypdf"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            dist = {"docx": "python-docx", "re2": "google-re2"}.get(mod, mod)
            meta.setdefault("versions", {})[dist] = version(dist)
    return meta


if __name__ == "__main__":
    sys.exit(main())
