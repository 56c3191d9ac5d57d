"""Request and response shapes for the OpenAPI document, every field described in Chinese.

Audit responses are sent as `Report.to_dict()` itself (the CLI's jsonl line), not re-serialised
through these models; `Report` here documents that object and tests check the two agree.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DomainCode = Literal["prepaid", "used_car", "training", "general"]
DomainChoice = Literal["prepaid", "used_car", "training", "general", "auto"]
SeverityCode = Literal["high", "medium", "low"]
OutputFormat = Literal["json", "docx", "pdf", "html", "markdown", "report-docx"]

DOMAIN_HELP = (
    "合同领域：prepaid（预付式消费）、used_car（二手车）、training（培训）、general（通用）；auto 或不填则自动识别"
)
FORMAT_HELP = (
    "输出格式：json（审查报告对象，默认）、docx（批注版 Word，仅限 Word 输入）、pdf（批注版 PDF，仅限 PDF 输入）、"
    "html（HTML 审查报告）、markdown（Markdown 审查报告）、report-docx（Word 审查意见书）。"
    "不填时按 Accept 请求头选择，都不匹配时为 json"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    page: int | None = Field(None, description="PDF 页码（从 1 开始）")
    paragraph: int | None = Field(None, description="Word 段落序号（从 0 开始）；文本文件中为段序号")
    table: int | None = Field(None, description="所在表格的序号（从 0 开始）")
    row: int | None = Field(None, description="表格行号（从 0 开始）")
    cell: int | None = Field(None, description="表格单元格序号（从 0 开始）")
    line: int | None = Field(None, description="文本文件中的行号，或 PDF 页内的起始行（从 1 开始）")


class Clause(_Model):
    index: int = Field(description="条款序号（从 0 开始），与 findings[].clause_index 对应")
    number: str = Field(description="条款编号原文，如“第一条”“（二）”；无编号时为空字符串")
    text: str = Field(description="条款原文（不含编号），逐字取自原文件")
    kind: Literal["title", "heading", "parties", "preamble", "clause", "signature", "attachment"] = Field(
        description="文本块类型：title 标题、heading 章节标题、parties 当事人、preamble 序言、clause 条款、"
        "signature 签署栏、attachment 附件"
    )
    location: Location = Field(description="条款在原文件中的位置")
    parent: int | None = Field(None, description="上级条款（章、条）的序号")


class Finding(_Model):
    rule_id: str = Field(description="命中的规则 id，如 prepaid/no-refund")
    category: str = Field(description="问题类别代码，如 restrict_termination（见 DESIGN.md 的类别表）")
    severity: SeverityCode = Field(
        description="风险等级：high 高（违法或无效）、medium 中（需人工确认）、low 低（提示）"
    )
    clause_index: int | None = Field(description="问题所在条款的序号；文档级问题（如缺少必备条款）为 null")
    start: int | None = Field(description="问题文字在条款 text 中的起始位置（按 Unicode 码位计，不是 UTF-16）")
    end: int | None = Field(description="问题文字在条款 text 中的结束位置（不含，按 Unicode 码位计）")
    quote: str = Field(description="问题文字原文，等于 clauses[clause_index].text[start:end]")
    message: str = Field(description="问题点评：这段文字为什么不公平")
    legal_basis: list[str] = Field(description="法律依据编号，如 CPL-26¶2；条文内容见 GET /v1/rules/{id}")
    suggestion: str = Field(description="修改建议：公平的替代措辞")
    title: str = Field(description="规则标题")
    clause_number: str = Field(description="问题所在条款的编号原文")


class Domain(_Model):
    code: DomainCode = Field(description="合同领域代码")
    confidence: float = Field(description="识别置信度（0 到 1）；指定领域时为 1")
    forced: bool = Field(description="是否由请求指定领域（而非自动识别）")


class BySeverity(_Model):
    high: int = Field(description="高风险问题数")
    medium: int = Field(description="中风险问题数")
    low: int = Field(description="低风险提示数")


class Summary(_Model):
    clauses: int = Field(description="条款总数")
    findings: int = Field(description="问题总数")
    by_severity: BySeverity = Field(description="按风险等级统计的问题数")


class Notice(_Model):
    code: str = Field(description="提示代码，如提取质量问题")
    level: Literal["warning", "error"] = Field(description="提示级别：warning 警告、error 错误")
    message: str = Field(description="提示内容")
    page: int | None = Field(None, description="所在页码")


class RuleErrorItem(_Model):
    rule_id: str = Field(description="执行出错的规则 id")
    message: str = Field(description="错误说明")


class Report(_Model):
    """审查报告对象（schema_version 1），与命令行 --format jsonl 输出的一行相同。"""

    schema_version: Literal[1] = Field(description="报告格式版本，目前为 1")
    source: str = Field(description="被审查文件的名称（上传时的文件名）")
    format: Literal["docx", "pdf", "text"] = Field(description="按内容识别出的文件类型")
    domain: Domain = Field(description="合同领域")
    rules_version: str = Field(description="规则库版本（规则文件的 sha256 前 12 位）")
    clauses: list[Clause] = Field(description="合同的全部条款，按原文顺序")
    findings: list[Finding] = Field(description="发现的问题")
    summary: Summary = Field(description="统计")
    merchant: str | None = Field(None, description="识别出的经营者名称（识别不到时省略）")
    content_hash: str | None = Field(None, description="所审查文件内容的 SHA-256（十六进制）")
    warnings: list[Notice] | None = Field(None, description="读取文件时的提示，如 PDF 提取质量问题（没有时省略）")
    rule_errors: list[RuleErrorItem] | None = Field(None, description="执行出错的规则（没有时省略）")


class ErrorDetail(_Model):
    code: str = Field(description="错误代码，如 too_large、unsupported_format、validation_error")
    message: str = Field(description="中文错误说明")


class ErrorResponse(_Model):
    error: ErrorDetail = Field(description="错误信息")


class TextAudit(_Model):
    text: str = Field(
        min_length=1,
        description="要审查的文本：一条或几条粘贴的条款，或整份合同的文字",
        examples=["第一条 本店对本活动保留最终解释权。"],
    )
    domain: DomainChoice | None = Field(None, description=DOMAIN_HELP)
    filename: str | None = Field(
        None, max_length=200, description="报告中显示的名称，也用于下载文件的命名；默认“粘贴文本.txt”"
    )


class Health(_Model):
    status: Literal["ok"] = Field(description="服务状态，正常时为 ok")
    version: str = Field(description="clause-audit 版本号")
    rules_version: str = Field(description="已载入规则库的版本")
    rules: int = Field(description="已载入的规则条数")
    max_upload_bytes: int = Field(description="上传文件的大小上限（字节）")


class Citation(_Model):
    ref: str = Field(description="法律依据编号，如 CPL-26¶2")
    law: str = Field(description="法律法规名称")
    article: str = Field(description="条、款、项，如“第二十六条第二款”；无法确定条号时为空")
    text: str = Field(description="条文原文；编号未收录时为空")
    status: Literal["verified", "partially_verified", "unverified", "unknown"] = Field(
        description="条文核实状态：verified 已核实、partially_verified 部分核实、unverified 未核实、unknown 未收录"
    )
    status_words: str = Field(description="核实状态的中文说明")
    cited_lines: list[int] = Field(
        description="条文中被引用的款、项所在的行（text 按换行分行，从 0 开始）；引用整条时为空"
    )


class RuleExample(_Model):
    text: str = Field(description="示例文字")
    unfair: bool = Field(description="true 为规则必须命中的不公平示例，false 为不得命中的公平示例")
    start: int | None = Field(None, description="不公平示例中应命中文字的起始位置（按 Unicode 码位计）")
    end: int | None = Field(None, description="不公平示例中应命中文字的结束位置（不含）")


class RuleSummary(_Model):
    id: str = Field(description="规则 id（领域/名称），如 prepaid/no-refund")
    title: str = Field(description="规则标题")
    domain: DomainCode = Field(description="规则所属领域；general 规则适用于所有合同")
    category: str = Field(description="问题类别代码")
    category_name: str = Field(description="问题类别的中文说明")
    severity: SeverityCode = Field(description="风险等级")
    message: str = Field(description="问题点评")
    legal_basis: list[str] = Field(description="法律依据编号")
    suggestion: str = Field(description="修改建议")
    document_level: bool = Field(description="是否为文档级规则（检查必备条款是否缺失）")


class RuleDetail(RuleSummary):
    citations: list[Citation] = Field(description="法律依据的条文内容，与 legal_basis 一一对应")
    examples: list[RuleExample] = Field(description="规则自带的示例")


class RuleList(_Model):
    rules_version: str = Field(description="规则库版本")
    count: int = Field(description="返回的规则条数")
    rules: list[RuleSummary] = Field(description="规则列表")
