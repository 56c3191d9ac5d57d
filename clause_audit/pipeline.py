"""The whole audit of one input: read → clauses → parties and domain → engine → Report."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from clause_audit.clauses import split_clauses
from clause_audit.domains import detect_domain
from clause_audit.engine import applicable_rules, find_problems
from clause_audit.errors import INPUT_ERROR_CODES, InputError, OutputError
from clause_audit.limits import current_limits, time_budget
from clause_audit.model import Document, Failure, Report
from clause_audit.outputs import OutputFolder
from clause_audit.parties import find_parties
from clause_audit.readers import SUFFIXES, read_bytes, read_document
from clause_audit.rulebook import Rulebook, load_rulebook


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    return load_rulebook()


def audit(
    source: str | Path | bytes,
    *,
    domain: str | None = None,
    filename: str | None = None,
    rulebook: Rulebook | None = None,
) -> Report:
    """Audit one contract given as a path or as bytes (with `filename` naming it in the report)."""
    with time_budget():
        if isinstance(source, bytes):
            data, name = source, filename or "<bytes>"
        else:
            path = Path(source)
            data, name = read_bytes(path), filename or str(source)
        return audit_document(read_document(data, name), domain=domain, rulebook=rulebook)


def audit_document(document: Document, *, domain: str | None = None, rulebook: Rulebook | None = None) -> Report:
    book = rulebook or default_rulebook()
    clauses = split_clauses(document)
    parties = find_parties(clauses)
    guess = detect_domain("\n".join(c.text for c in clauses), forced=domain)
    findings, errors = find_problems(clauses, applicable_rules(book, guess.code), parties, guess.code)
    return Report(
        source=document.source,
        format=document.format,
        domain=guess,
        rules_version=book.version,
        clauses=clauses,
        findings=tuple(findings),
        notices=document.notices,
        rule_errors=tuple(errors),
        merchant=parties.merchant_name,
        content_hash=document.content_hash,
    )


def warm_up() -> None:
    """Build what every audit uses (the domain vocabulary, the Traditional→Simplified converter) now
    rather than on the first document."""
    from clause_audit.normalize import normalize

    detect_domain("预热")
    normalize("預熱")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders walked (sorted) for .docx, .pdf, .txt and .md."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            out.append(path)
    return out


def audit_many(
    paths: Iterable[Path],
    *,
    domain: str | None = None,
    rulebook: Rulebook | None = None,
    jobs: int = 1,
    outputs: OutputFolder | None = None,
) -> Iterator[Report | Failure]:
    """Audit each file, yielding results in input order; an unreadable file yields a Failure and the
    batch goes on. With jobs > 1 the files are audited in that many worker processes. With
    `outputs`, each input's output file is written as soon as it is audited."""
    book = rulebook or default_rulebook()
    todo = list(paths)
    targets: list[Path | None] = list(outputs.targets(todo)) if outputs else [None] * len(todo)
    workers = max(1, min(jobs, len(todo)))
    if workers == 1:
        for path, target in zip(todo, targets, strict=True):
            yield _audit_one(path, domain, book, outputs, target)
        return
    import multiprocessing

    from clause_audit.batch import WorkerPool

    global _worker_rulebook
    # fork hands the compiled rulebook to the workers as it is; spawn makes each worker load it
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _worker_rulebook = book
    if method == "fork":
        warm_up()  # once, before the workers are forked
    pool = WorkerPool(
        _audit_in_worker,
        workers,
        # the cooperative budget stops a file first; this catches a worker stuck where it cannot look
        hard_timeout=current_limits().timeout_s + HARD_TIMEOUT_GRACE,
        source_of=lambda args: str(args[0]),
        initializer=_load_worker_rulebook,
        initargs=(book.directories,),
        method=method,
    )
    yield from pool.run([(path, domain, outputs, target) for path, target in zip(todo, targets, strict=True)])


# seconds a worker gets beyond the time budget before it is killed
HARD_TIMEOUT_GRACE = 15.0


_worker_rulebook: Rulebook | None = None


def _load_worker_rulebook(directories: tuple[str, ...]) -> None:
    global _worker_rulebook
    if _worker_rulebook is None:  # a forked worker already has the parent's
        _worker_rulebook = load_rulebook([Path(d) for d in directories])


def _audit_in_worker(
    path: Path, domain: str | None, outputs: OutputFolder | None, target: Path | None
) -> Report | Failure:
    assert _worker_rulebook is not None
    return _audit_one(path, domain, _worker_rulebook, outputs, target)


def _audit_one(
    path: Path, domain: str | None, rulebook: Rulebook, outputs: OutputFolder | None, target: Path | None
) -> Report | Failure:
    try:
        with time_budget():
            data = read_bytes(path)
            document = read_document(data, str(path))
            report = audit_document(document, domain=domain, rulebook=rulebook)
            if outputs is not None and target is not None:
                outputs.write(target, data, document, report)
        return report
    except InputError as exc:
        return Failure(str(path), exc.code, exc.message)
    except OutputError as exc:
        return Failure(str(path), exc.code, exc.message)
    except MemoryError:
        return Failure(str(path), "too_complex", f"{INPUT_ERROR_CODES['too_complex']}：内存不足以审查该文件")
    except RecursionError:
        return Failure(str(path), "too_complex", f"{INPUT_ERROR_CODES['too_complex']}：结构嵌套过深")
    except Exception as exc:  # one bad file never stops a batch
        if os.environ.get("CLAUSE_AUDIT_DEBUG"):
            raise
        return Failure(str(path), "internal_error", f"{INPUT_ERROR_CODES['internal_error']}：{type(exc).__name__}")
