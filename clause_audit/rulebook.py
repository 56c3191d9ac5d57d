"""YAML rule library → validated, compiled rules. A problem names file, line and rule id and stops the load."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from clause_audit import validated
from clause_audit.errors import RuleLoadError
from clause_audit.library import library_version, packaged_rules_dir, rule_files
from clause_audit.matchers import CompiledMatch, DocumentCheck, compile_document, compile_match
from clause_audit.model import DOMAINS, SEVERITIES, Example, RuleInfo
from clause_audit.ruleschema import RuleFileSpec, RuleSpec
from clause_audit.statutes import article_id, load_statutes

MAX_RULE_FILE_BYTES = 2_000_000
_MARKED = re.compile(r"\[\[(.+?)\]\]")


# ---------------------------------------------------------------- compiled rules


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    match: CompiledMatch | None
    document: DocumentCheck | None

    @property
    def id(self) -> str:
        return self.info.id


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    version: str
    sources: tuple[str, ...]
    directories: tuple[str, ...] = ()

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def only(self, rule_ids: Iterable[str]) -> Rulebook:
        wanted = set(rule_ids)
        return Rulebook(tuple(r for r in self.rules if r.id in wanted), self.version, self.sources, self.directories)


def load_rulebook(directories: Iterable[Path] | None = None, *, trust_validated: bool = True) -> Rulebook:
    """Load and compile every rule file; raise RuleLoadError listing every problem found.

    A rule in a later folder replaces the rule with the same id from an earlier one, and a file's
    `disable:` list switches off rules of earlier folders; within one folder an id must be unique.
    With `trust_validated`, the patterns of a file that passed validation before (same bytes, same
    checking code: clause_audit.validated) are not checked again and compile on first use.
    """
    dirs = list(directories) if directories is not None else [packaged_rules_dir()]
    seen_valid = validated.known() if trust_validated else set()
    digests: list[str] = []
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    defined_in: dict[str, tuple[int, str]] = {}
    sources: list[str] = []
    for level, directory in enumerate(dirs):
        if not directory.is_dir():
            problems.append(f"{directory}: 规则目录不存在")
            continue
        for path in rule_files(directory):
            raw = path.read_bytes()
            sources.append(str(path))
            digests.append(validated.digest(raw))
            loaded, disabled = _load_file(path, raw, problems, validate=digests[-1] not in seen_valid)
            for rule_id, line in disabled:
                if rule_id not in rules or defined_in[rule_id][0] >= level:
                    problems.append(f"{path}:{line}: disable 中的规则 {rule_id} 不存在于之前的规则目录中")
                else:
                    del rules[rule_id]
            for rule in loaded:
                where = f"{path}:{rule.info.line}"
                previous = defined_in.get(rule.id)
                if previous is not None and previous[0] == level:
                    problems.append(f"{where}: [{rule.id}] 规则 id 重复（已在 {previous[1]} 定义）")
                    continue
                defined_in[rule.id] = (level, where)
                rules[rule.id] = rule  # a later folder overrides; dict order keeps the first position
    if problems:
        raise RuleLoadError(problems)
    validated.remember(digests)
    return Rulebook(tuple(rules.values()), library_version(dirs), tuple(sources), tuple(str(d) for d in dirs))


def _load_file(
    path: Path, raw: bytes, problems: list[str], *, validate: bool = True
) -> tuple[list[Rule], list[tuple[str, int]]]:
    """The file's rules, and the (id, line) of each rule it disables."""
    if len(raw) > MAX_RULE_FILE_BYTES:
        problems.append(f"{path}: 规则文件过大（超过 {MAX_RULE_FILE_BYTES} 字节）")
        return [], []
    try:
        data = _safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problems.append(f"{path}{line}: YAML 语法错误：{exc}")
        return [], []
    except _TooBig as exc:
        problems.append(f"{path}: {exc}")
        return [], []
    if not isinstance(data, dict):
        problems.append(f"{path}:1: 规则文件应包含 domain 和 rules 两个键")
        return [], []
    try:
        file_spec = RuleFileSpec.model_validate(_strip_lines(data))
    except ValidationError as exc:
        problems.extend(f"{path}:1: {_describe(e)}" for e in exc.errors())
        return [], []
    disable_line = data["__lines__"].get("disable", 1)
    disabled = [(rule_id, disable_line) for rule_id in file_spec.disable]
    out: list[Rule] = []
    for raw_rule in data.get("rules", []):
        rule_line: int = raw_rule.get("__line__", 1) if isinstance(raw_rule, dict) else 1
        rule_id: str = raw_rule.get("id", "?") if isinstance(raw_rule, dict) else "?"
        before = len(problems)
        rule = _build_rule(raw_rule, file_spec.domain, path, rule_line, problems, validate)
        if rule is None and len(problems) == before:
            problems.append(f"{path}:{rule_line}: [{rule_id}] 无法载入")
        if rule is not None:
            out.append(rule)
    return out, disabled


def _build_rule(
    raw: Any, file_domain: str, path: Path, line: int, problems: list[str], validate: bool = True
) -> Rule | None:
    rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
    lines = raw.get("__lines__", {}) if isinstance(raw, dict) else {}

    def report(message: str, key: str | None = None) -> None:
        at = lines.get(key, line) if key else line
        problems.append(f"{path}:{at}: [{rule_id}] {message}")

    try:
        spec = RuleSpec.model_validate(_strip_lines(raw))
    except ValidationError as exc:
        for err in exc.errors():
            report(_describe(err), str(err["loc"][0]) if err["loc"] else None)
        return None
    domain = spec.domain or file_domain
    if not spec.id.startswith(domain + "/"):
        report(f"id 前缀应为所在领域 {domain}/", "id")
    _check_legal_basis(spec, report)
    try:
        match = compile_match(spec.match, validate=validate) if spec.match is not None else None
        document = compile_document(spec.document, validate=validate) if spec.document is not None else None
    except ValueError as exc:
        report(str(exc), "match" if spec.match is not None else "document")
        return None
    examples = _examples(spec, report)
    info = RuleInfo(
        id=spec.id,
        title=spec.title,
        domain=domain,
        category=spec.category,
        severity=spec.severity,
        message=spec.message.strip(),
        legal_basis=tuple(spec.legal_basis),
        suggestion=spec.suggestion.strip(),
        examples=examples,
        file=str(path),
        line=line,
        document_level=document is not None,
    )
    return Rule(info, match, document)


def _check_legal_basis(spec: RuleSpec, report: Any) -> None:
    statutes = load_statutes()
    statuses = []
    for ref in spec.legal_basis:
        statute = statutes.get(article_id(ref))
        if statute is None:
            report(f"法律依据 {ref} 不在法条表中", "legal_basis")
        else:
            statuses.append(statute.status)
    if spec.severity == "high" and statuses and "verified" not in statuses:
        report("high 级别规则至少需要一条已核实（verified）的法律依据", "severity")
    if spec.match is not None and spec.match.number is not None:
        basis = statutes.get(article_id(spec.match.number.basis))
        if basis is None:
            report(f"数值依据 {spec.match.number.basis} 不在法条表中", "match")
        elif basis.status == "unverified" and spec.severity != "low":
            report("数值门槛来自未核实的依据，规则只能是 low 级别", "severity")
        elif basis.status == "partially_verified" and spec.severity == "high":
            report("数值门槛来自部分核实的依据，规则不能是 high 级别", "severity")


def _examples(spec: RuleSpec, report: Any) -> tuple[Example, ...]:
    out: list[Example] = []
    for text in spec.examples.unfair:
        marks = list(_MARKED.finditer(text))
        plain = _MARKED.sub(lambda m: m.group(1), text)
        if spec.document is not None:
            if marks:
                report("文档级规则的反例不标注 [[ ]]", "examples")
            out.append(Example(plain, None, unfair=True))
            continue
        if len(marks) != 1:
            report(f"不公平示例须用 [[ ]] 标出且只标出一处命中范围：{text}", "examples")
            continue
        start = marks[0].start()
        out.append(Example(plain, (start, start + len(marks[0].group(1))), unfair=True))
    for text in spec.examples.fair:
        if "[[" in text:
            report(f"公平示例不应有 [[ ]] 标注：{text}", "examples")
        out.append(Example(text, None, unfair=False))
    return tuple(out)


def _describe(err: Any) -> str:
    loc = ".".join(str(x) for x in err.get("loc", ()))
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


# ---------------------------------------------------------------- YAML with line numbers

# Nodes a rule file may have once its aliases are expanded: the packaged library has about 20,000;
# a "billion laughs" of nested aliases would have 10^9.
MAX_YAML_NODES = 1_000_000


class _TooBig(Exception):
    pass


def _safe_load(text: str) -> Any:
    """yaml.safe_load with line numbers, refusing alias bombs and nesting deep enough to crash the parser."""
    loader = _LineLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise _TooBig("YAML 嵌套过深") from None
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            raise _TooBig(f"YAML 别名（&/*）展开后超过 {MAX_YAML_NODES} 个节点")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, seen: dict[int, int]) -> int:
    """Nodes in the tree the loader would build, each alias counted as a full copy (memoised)."""
    known = seen.get(id(node))
    if known is not None:
        return known
    seen[id(node)] = 1  # a recursive alias counts once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, seen) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    seen[id(node)] = min(size, MAX_YAML_NODES + 1)
    return seen[id(node)]


# PyYAML's libyaml parser when the wheel has it: the pure-Python one took about half a second of
# every CLI start on the packaged rules. libyaml refuses nesting deeper than 1,000 (a YAMLError).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SAFE_LOADER):
    """SafeLoader that records the line of every mapping (__line__) and of its keys (__lines__)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {
            key_node.value: key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return mapping


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


__all__ = ["DOMAINS", "SEVERITIES", "Rule", "Rulebook", "load_rulebook", "packaged_rules_dir"]
