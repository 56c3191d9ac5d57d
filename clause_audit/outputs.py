"""Per-input output files: `-o DIR` writes one file per input, named after it; annotated DOCX/PDF
and the Word review report are always files."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from clause_audit.errors import OutputError
from clause_audit.model import Document, Report

STREAM_FORMATS = ("text", "json", "jsonl", "markdown", "html")
FILE_FORMATS = ("docx", "pdf", "report-docx")
FORMATS = STREAM_FORMATS + FILE_FORMATS

_NAMES = {
    "text": ".report.txt",
    "json": ".json",
    "jsonl": ".jsonl",
    "markdown": ".report.md",
    "html": ".report.html",
    "docx": ".annotated.docx",
    "pdf": ".annotated.pdf",
    "report-docx": ".review.docx",
}


def output_name(source: Path, fmt: str) -> str:
    """gym.docx → gym.annotated.docx, gym.docx.report.html: the input's full name keeps the DOCX
    and the PDF of one contract apart."""
    if fmt in ("docx", "pdf"):
        return source.stem + _NAMES[fmt]
    return source.name + _NAMES[fmt]


def render_bytes(fmt: str, original: bytes, document: Document, report: Report) -> bytes:
    """One input's output in `fmt`."""
    if fmt == "docx":
        if document.format != "docx":
            raise OutputError("批注版 Word（--format docx）只能由 Word（.docx）文件生成")
        from clause_audit.render.annotate_docx import annotate_docx

        return annotate_docx(original, document, report)
    if fmt == "pdf":
        if document.format != "pdf":
            raise OutputError("批注版 PDF（--format pdf）只能由 PDF 文件生成")
        from clause_audit.render.annotate_pdf import annotate_pdf

        return annotate_pdf(original, document, report)
    if fmt == "report-docx":
        from clause_audit.render.report_docx import report_docx_bytes

        return report_docx_bytes([report])
    from clause_audit.render import writer_for

    buffer = io.StringIO()
    writer_for(fmt)([report], buffer, False)
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class OutputFolder:
    """Writes each audited input's output into `folder` (picklable, so workers can write too)."""

    folder: str
    fmt: str
    file: str = ""  # one input written to exactly this path

    def targets(self, sources: list[Path]) -> list[Path]:
        """The file written for each input; -2, -3 … where two inputs would get the same name."""
        if self.file:
            return [Path(self.file) for _ in sources]
        taken: set[str] = set()
        out = []
        for source in sources:
            name = base = output_name(source, self.fmt)
            n = 2
            while name in taken:
                stem, dot, rest = base.partition(".")
                name = f"{stem}-{n}{dot}{rest}"
                n += 1
            taken.add(name)
            out.append(Path(self.folder) / name)
        return out

    def write(self, target: Path, original: bytes, document: Document, report: Report) -> None:
        data = render_bytes(self.fmt, original, document, report)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".part")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError as exc:
            raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from None
