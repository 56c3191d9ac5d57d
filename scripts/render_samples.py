"""Render the annotated samples to PNG so a person can look at where the annotations land.

    python scripts/render_samples.py                    # every samples/**/*.docx and *.pdf
    python scripts/render_samples.py --rules my_rules/  # the packaged library plus a local rule folder
    python scripts/render_samples.py samples/prepaid/gym-membership.pdf --pages 3

For each sample: audit it, write the annotated copy to out/annotated/<name>.annotated.docx|pdf, and
render its first pages with poppler (pdftoppm -r 70) to out/annotated/<name>-<format>-<page>.png. An
annotated DOCX is first converted to PDF by LibreOffice with its comments exported as PDF notes
(ExportNotes), in a profile of its own. Needs soffice (libreoffice-writer-nogui) and pdftoppm
(poppler-utils); fonts-noto-cjk for the Chinese text.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from clause_audit.library import packaged_rules_dir
from clause_audit.pipeline import audit_document
from clause_audit.readers import read_document
from clause_audit.render.annotate_docx import annotate_docx
from clause_audit.render.annotate_pdf import annotate_pdf
from clause_audit.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "annotated"
EXPORT_NOTES = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


def soffice_pdf(soffice: str, source: Path, outdir: Path, profile: Path) -> Path:
    """LibreOffice's PDF of `source`, with Word comments as PDF notes."""
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += ["--convert-to", EXPORT_NOTES, "--outdir", str(outdir), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    target = outdir / f"{source.stem}.pdf"
    if not target.is_file():
        raise RuntimeError(f"LibreOffice wrote no PDF for {source.name}")
    return target


def render_pages(pdftoppm: str, pdf: Path, prefix: Path, pages: int, dpi: int) -> list[Path]:
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-f", "1", "-l", str(pages), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="DOCX/PDF files (default: every sample)")
    parser.add_argument("--rules", type=Path, action="append", default=[], help="a local rule folder (repeatable)")
    parser.add_argument("--pages", type=int, default=1, help="how many first pages to render (default 1)")
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not pdftoppm:
        print("error: pdftoppm not found (apt-get install poppler-utils)", file=sys.stderr)
        return 2
    paths = args.paths or sorted(p for p in (ROOT / "samples").rglob("*") if p.suffix in (".docx", ".pdf"))
    book = load_rulebook([packaged_rules_dir(), *args.rules])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="render_samples_") as scratch:
        profile = Path(scratch) / "lo_profile"
        for path in paths:
            original = path.read_bytes()
            document = read_document(original, str(path))
            report = audit_document(document, rulebook=book)
            fmt = document.format
            target = args.out / f"{path.stem}.annotated.{fmt}"
            if fmt == "docx":
                target.write_bytes(annotate_docx(original, document, report))
                if not soffice:
                    print(f"{target.relative_to(ROOT)}: not rendered, soffice not found", file=sys.stderr)
                    continue
                pdf = soffice_pdf(soffice, target, Path(scratch), profile)
            elif fmt == "pdf":
                target.write_bytes(annotate_pdf(original, document, report))
                pdf = target
            else:
                continue
            pngs = render_pages(pdftoppm, pdf, args.out / f"{path.stem}-{fmt}", args.pages, args.dpi)
            shown = ", ".join(p.name for p in pngs)
            print(f"{target.relative_to(ROOT)}  {len(report.findings)} findings  → {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
