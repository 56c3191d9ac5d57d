"""Build clause_audit/data/statutes.json (the shipped statute table) from shared/reference/legal-basis.md."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "legal-basis.md"
DEFAULT_OUTPUT = ROOT / "clause_audit" / "data" / "statutes.json"

# `#### CPL-26 — Standard terms … / 格式条款` ; IDs are PREFIX-number or PREFIX-TOPIC (e.g. OST-NONACAD-2022).
ENTRY_HEADING = re.compile(r"^#### (?P<id>[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9-]*) — (?P<title>.+?)\s*$")
TAG = re.compile(r"\[(?P<kind>verified|partially verified|unverified): [^\]]*\]")
STATUS_BY_KIND = {
    "verified": "verified",
    "partially verified": "partially_verified",
    "unverified": "unverified",
}
ARTICLE = re.compile(r"^第[零〇一二三四五六七八九十百千]+条")
# table row in section 0.1: | `CPL-n` | 《…》（2013修正） | 法律 |
PREFIX_CELL = re.compile(r"`([A-Z][A-Z0-9]*)-[^`]*`")
TRAILING_PAREN = re.compile(r"（[^（）]*）$")
# a definition line such as "- `BJPC`：《北京市单用途预付卡管理条例》，2021年…"
PREFIX_DEFINITION = re.compile(r"^(?:- )?`(?P<prefix>[A-Z][A-Z0-9]*)`：(?P<name>《[^》]+》)")


def _section(lines: list[str], heading_prefix: str) -> list[str]:
    """Lines of the `## `/`### ` section whose heading starts with heading_prefix, up to the next one."""
    level = heading_prefix.split(" ", 1)[0] + " "
    start = next(i for i, line in enumerate(lines) if line.startswith(heading_prefix))
    end = len(lines)
    for i in range(start + 1, len(lines)):
        hashes = lines[i].split(" ", 1)[0]
        if lines[i].startswith("#") and set(hashes) == {"#"} and len(hashes) <= len(level) - 1:
            end = i
            break
    return lines[start + 1 : end]


def _law_names(lines: list[str], section1: list[str]) -> dict[str, str]:
    """Prefix → name of the source as the ID table in section 0.1 gives it, trailing note in () dropped."""
    names: dict[str, str] = {}
    for line in _section(lines, "### 0.1"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        prefixes = PREFIX_CELL.findall(cells[0])
        if not prefixes:
            continue
        sources = [s.strip() for s in cells[1].split(" / ")] if len(prefixes) > 1 else [cells[1]]
        if len(sources) != len(prefixes):
            raise ValueError(f"section 0.1: cannot pair prefixes and sources in row: {line}")
        for prefix, source in zip(prefixes, sources, strict=True):
            names[prefix] = TRAILING_PAREN.sub("", source).strip()
    return names


def _definitions(section1: list[str]) -> dict[str, str]:
    """Prefix → 《full name》 from definition lines in section 1 (`- `BJPC`：《…》，…`)."""
    definitions: dict[str, str] = {}
    for line in section1:
        m = PREFIX_DEFINITION.match(line.strip())
        if m:
            definitions.setdefault(m["prefix"], m["name"])
    return definitions


def _law(prefix: str, heading_title: str, laws: dict[str, str], definitions: dict[str, str]) -> str:
    """The full Chinese name of an entry's source, in 《》 where it is a single document's title."""
    if prefix not in laws:
        raise ValueError(f"prefix {prefix} is not in the ID table (section 0.1)")
    name = laws[prefix]
    if name.startswith("《"):
        return name
    if prefix in definitions:  # local regulations: the table gives short names, section 1.10 full ones
        return definitions[prefix]
    if name.startswith("最高人民法院"):  # SPC interpretations: the table omits the outer 《》
        return "《" + name.replace("《", "〈").replace("》", "〉") + "》"
    # OST-*: the table names a family of policy documents; the entry heading names the one cited
    return heading_title.split(" / ", 1)[1] if " / " in heading_title else name


def _entry(
    entry_id: str, title: str, body: list[str], laws: dict[str, str], definitions: dict[str, str]
) -> dict[str, Any]:
    tag = TAG.search(title)
    tag_line = -1
    if tag is None:
        for i, line in enumerate(body):
            if tag := TAG.search(line):
                tag_line = i
                break
    if tag is None:
        raise ValueError(f"{entry_id}: no [verified/partially verified/unverified: …] tag")
    quote = [line[2:] if line.startswith("> ") else line[1:] for line in body if line.startswith(">")]
    text_lines = [q.rstrip() for q in quote if q.strip()]
    if not text_lines:  # no blockquote: the body prose, without the status tag and markdown emphasis
        prose = [line.replace(tag.group(0), "", 1) if i == tag_line else line for i, line in enumerate(body)]
        text_lines = [p for line in prose if (p := line.replace("**", "").strip())]
    text = "\n".join(text_lines)
    if not text:
        raise ValueError(f"{entry_id}: no text")
    heading_title = TAG.sub("", title).strip()
    article = ARTICLE.match(text)
    return {
        "id": entry_id,
        "title": heading_title,
        "law": _law(entry_id.split("-", 1)[0], heading_title, laws, definitions),
        "article": article.group(0) if article else "",
        "text": text,
        "status": STATUS_BY_KIND[tag["kind"]],
        "note": tag.group(0)[1:-1],
    }


def build(markdown: str) -> dict[str, dict[str, Any]]:
    """Parse legal-basis.md into {ID: entry}: one entry per `#### ID — title` heading of section 1."""
    lines = markdown.splitlines()
    section1 = _section(lines, "## 1.")
    laws = _law_names(lines, section1)
    definitions = _definitions(section1)
    entries: dict[str, dict[str, Any]] = {}
    current: tuple[str, str] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is not None:
            if current[0] in entries:
                raise ValueError(f"duplicate ID {current[0]}")
            entries[current[0]] = _entry(current[0], current[1], body, laws, definitions)

    for line in section1:
        if line.startswith("#"):
            flush()
            m = ENTRY_HEADING.match(line)
            current = (m["id"], m["title"]) if m else None
            body = []
        elif line.strip() == "---":
            flush()
            current, body = None, []
        elif current is not None:
            body.append(line)
    flush()
    return entries


def render(entries: dict[str, dict[str, Any]]) -> str:
    """The exact JSON text written to statutes.json."""
    return json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="legal-basis.md")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="statutes.json to write")
    args = parser.parse_args(argv)
    markdown = args.source.read_text(encoding="utf-8")
    entries = build(markdown)
    headings = sum(1 for line in markdown.splitlines() if ENTRY_HEADING.match(line))
    if headings != len(entries):
        print(f"error: {headings} ID headings but {len(entries)} entries", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(entries), encoding="utf-8")
    counts = Counter(e["status"] for e in entries.values())
    print(f"wrote {len(entries)} entries to {args.output}")
    for status in ("verified", "partially_verified", "unverified"):
        print(f"  {status}: {counts.get(status, 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
