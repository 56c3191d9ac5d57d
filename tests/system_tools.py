"""Test helper: system programs (LibreOffice, poppler) that check our files in real clients.

`require(program)` gives the program's path. When it is missing, a CI run (CI=true) installs its
Debian package, with the CJK fonts that render our samples, and fails the test if that does not
work; anywhere else the test is skipped with the command that would install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGES = {"soffice": "libreoffice-writer-nogui", "pdftoppm": "poppler-utils", "chromium": "chromium"}
FONTS = "fonts-noto-cjk"
TIMEOUT = 180  # seconds; a cold LibreOffice start in CI takes a while


def require(program: str) -> str:
    """The path of `program`, installing its package first in CI; skips the test elsewhere if missing."""
    found = shutil.which(program)
    if found:
        return found
    package = PACKAGES[program]
    if os.environ.get("CI") != "true":
        pytest.skip(f"{program} is not installed (apt-get install --no-install-recommends {package} {FONTS})")
    _install(package)
    found = shutil.which(program)
    if not found:
        pytest.fail(f"{program} is still missing after installing {package}")
    return found


def _install(package: str) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = [
        [*sudo, "apt-get", "update", "-qq"],
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", package, FONTS],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, env=env, capture_output=True, text=True, timeout=1200)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.fail(f"could not install {package}: {' '.join(step)}: {exc}")
        if done.returncode != 0:
            pytest.fail(
                f"could not install {package}: {' '.join(step)} exited {done.returncode}\n{done.stderr[-2000:]}"
            )


def soffice_to_pdf(soffice: str, source: Path, outdir: Path, *, profile: Path, notes: bool = False) -> Path:
    """Convert `source` to PDF with LibreOffice in its own profile (runs sharing one fail silently);
    `notes` exports Word comments as PDF notes. Raises CalledProcessError, or FileNotFoundError when
    LibreOffice exits 0 without writing the file."""
    export = "pdf:writer_pdf_Export"
    if notes:
        export += ':{"ExportNotes":{"type":"boolean","value":"true"}}'
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--convert-to",
        export,
        "--outdir",
        str(outdir),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT)
    target = outdir / f"{source.stem}.pdf"
    if not target.is_file():
        raise FileNotFoundError(f"LibreOffice wrote no {target.name}")
    return target


def pdftoppm_png(pdftoppm: str, source: Path, prefix: Path, *, dpi: int = 72, page: int = 1) -> Path:
    """Render one page of `source` to `prefix`.png; raises CalledProcessError if poppler fails."""
    command = [
        pdftoppm,
        "-r",
        str(dpi),
        "-f",
        str(page),
        "-l",
        str(page),
        "-png",
        "-singlefile",
        str(source),
        str(prefix),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT)
    return prefix.with_suffix(".png")
