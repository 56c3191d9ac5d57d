"""Errors a user can act on: each has a stable code and a Chinese message naming the problem."""

from __future__ import annotations

INPUT_ERROR_CODES = {
    "not_found": "找不到文件",
    "unreadable": "无法读取文件",
    "unsupported_format": "不支持的文件类型",
    "corrupt_file": "文件已损坏，无法打开",
    "encrypted": "文件已加密",
    "no_text_layer": "PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）",
    "extraction_failed": "提取出的文字是乱码，无法审查",
    "empty_document": "文档中没有可审查的文字",
    "decode_error": "无法识别文本文件的编码",
    "too_large": "文件过大",
    "too_many_pages": "PDF 页数超过上限",
    "too_complex": "文档结构过于复杂（段落、表格单元格、表格嵌套层数或文字量超过上限）",
    "zip_bomb": "文件中的压缩数据解压后异常庞大（疑似“压缩炸弹”），已拒绝解压",
    "timeout": "处理时间超过上限",
    "internal_error": "审查该文件时发生内部错误，请将文件反馈给开发者",
}


class InputError(Exception):
    """An input document that cannot be audited. `code` is part of the jsonl contract."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in INPUT_ERROR_CODES:
            raise ValueError(f"unknown input error code: {code}")
        self.code = code
        self.message = INPUT_ERROR_CODES[code] + (f"：{detail}" if detail else "")
        super().__init__(self.message)


class RuleLoadError(Exception):
    """The rule library cannot be loaded; the message names file, line and rule id."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class OutputError(Exception):
    """An output that cannot be produced for one input (wrong input format, unwritable folder)."""

    code = "output_error"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
