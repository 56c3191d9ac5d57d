"""The rule file schema: what a YAML rule may say, validated by pydantic (unknown keys are errors)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clause_audit.model import CATEGORIES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NearSpec(_Strict):
    pattern: str
    within: int = Field(20, ge=1, le=300)


class ClauseWideSpec(_Strict):
    """An exception that cancels the match when it occurs anywhere in the clause, not only the sentence."""

    pattern: str
    scope: Literal["clause"]


class NumberSpec(_Strict):
    unit: Literal["percent", "money", "months", "hours", "km"]
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None
    within: int = Field(20, ge=1, le=100)
    basis: str  # the legal-basis id the threshold comes from
    # percent only: when no percentage is written, an amount near the anchor as a share of the amount
    # written right after this pattern (定金叁万元（成交价壹拾万元） → 30)
    of: str | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> NumberSpec:
        bounds = [b for b in (self.above, self.at_least, self.below, self.at_most) if b is not None]
        if len(bounds) != 1:
            raise ValueError("number 需要且只能有一个比较条件：above / at_least / below / at_most")
        if self.of is not None and self.unit != "percent":
            raise ValueError("number.of 只能与 unit: percent 一起使用")
        return self


class MatchSpec(_Strict):
    any: list[str] = Field(min_length=1)
    all: list[str] = []
    near: list[NearSpec] = []
    unless: list[str | NearSpec | ClauseWideSpec] = []
    number: NumberSpec | None = None
    scope: Literal["sentence", "clause"] = "sentence"
    context: list[str] = []  # the document must contain one of these somewhere (e.g. K-12 words)


class DocumentSpec(_Strict):
    requires: list[str] = Field(min_length=1)
    min_clauses: int = Field(8, ge=1)


class ExamplesSpec(_Strict):
    unfair: list[str] = Field(min_length=1)
    fair: list[str] = Field(min_length=1)


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^(prepaid|used_car|training|general)/[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str = Field(min_length=2)
    domain: Literal["prepaid", "used_car", "training", "general"] | None = None
    category: str
    severity: Literal["high", "medium", "low"]
    match: MatchSpec | None = None
    document: DocumentSpec | None = None
    message: str = Field(min_length=8)
    legal_basis: list[str] = Field(min_length=1)
    suggestion: str = Field(min_length=4)
    examples: ExamplesSpec

    @model_validator(mode="after")
    def _shape(self) -> RuleSpec:
        if self.category not in CATEGORIES:
            raise ValueError(f"未知类别 category: {self.category}")
        if (self.match is None) == (self.document is None):
            raise ValueError("规则必须有且只有 match（条款级）或 document（文档级）之一")
        if self.document is not None and self.category != "missing_term":
            raise ValueError("文档级规则（document）的类别必须是 missing_term")
        if self.match is not None and self.category == "missing_term":
            raise ValueError("missing_term 只用于文档级规则（document）")
        return self


class RuleFileSpec(_Strict):
    domain: Literal["prepaid", "used_car", "training", "general"]
    rules: list[dict[str, Any]] = []
    disable: list[str] = []  # ids of rules from earlier folders (the packaged library) to switch off
