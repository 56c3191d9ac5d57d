"""Every error as JSON `{"error": {"code", "message"}}` with a Chinese message; never a trace or a server path."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from clause_audit.errors import InputError, OutputError

log = logging.getLogger("clause_audit.api")

# InputError codes (clause_audit/errors.py) → HTTP status; a code missing here is 422
INPUT_STATUS = {
    "unsupported_format": 415,
    "decode_error": 415,  # bytes that are neither a document format nor text in a known encoding
    "too_large": 413,
    "too_many_pages": 413,
    "zip_bomb": 413,
    "timeout": 504,
    "unreadable": 400,
    "internal_error": 500,
}

_STATUS_CODES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthorized", "需要有效的 API 密钥"),
    403: ("forbidden", "没有访问权限"),
    404: ("not_found", "找不到请求的地址"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "无法提供所请求的格式"),
    413: ("too_large", "文件过大"),
    415: ("unsupported_format", "不支持的文件类型"),
    422: ("validation_error", "请求参数不正确"),
    500: ("internal_error", "服务器内部错误，请稍后重试或联系管理员"),
    503: ("busy", "服务器繁忙，请稍后重试"),
    504: ("timeout", "处理超时"),
}

# FastAPI's own English detail texts → Chinese
_DETAILS = {"There was an error parsing the body": "无法解析请求体（multipart 表单格式不正确）"}

_FIELDS = {"file": "文件", "text": "文本", "domain": "领域", "format": "输出格式", "filename": "文件名"}


class ApiError(HTTPException):
    """An HTTP error with our code and Chinese message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail=message, headers=headers)
        self.code = code
        self.message = message


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def input_error(exc: InputError, *, pasted: bool = False) -> ApiError:
    """The HTTP error of an input that cannot be audited; pasted text is never of an unsupported type."""
    status = INPUT_STATUS.get(exc.code, 422)
    if pasted and status == 415:
        status = 422
    message = exc.message if status != 500 else _STATUS_CODES[500][1]
    return ApiError(status, exc.code, message)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, ApiError):
        code, message = exc.code, exc.message
    else:
        code, message = _STATUS_CODES.get(exc.status_code, ("http_error", "请求失败"))
        if isinstance(exc.detail, str) and exc.detail in _DETAILS:
            message = _DETAILS[exc.detail]
    return error_response(exc.status_code, code, message, getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if problems and all(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, "bad_request", "请求体不是有效的 JSON")
    return error_response(422, "validation_error", "请求参数不正确：" + "；".join(_describe(p) for p in problems[:5]))


def _describe(problem: dict[str, Any]) -> str:
    loc = [str(x) for x in problem.get("loc", ()) if x not in ("body", "query", "header", "path")]
    field = "、".join(_FIELDS.get(x, x) for x in loc) or "请求体"
    kind = str(problem.get("type", ""))
    if kind == "missing":
        return f"缺少{field}"
    if kind in ("literal_error", "enum"):
        allowed = str(problem.get("ctx", {}).get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return f"{field}的取值不在允许范围内（可选：{allowed}）" if allowed else f"{field}的取值不在允许范围内"
    if kind.startswith("string_") or kind in ("value_error", "assertion_error"):
        return f"{field}不符合要求"
    return f"{field}的值类型不正确"


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    return await _http_error(request, input_error(exc))


async def _output_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OutputError)
    return error_response(400, exc.code, exc.message)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("未处理的错误：%s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, *_STATUS_CODES[500])


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(OutputError, _output_error)
    app.add_exception_handler(Exception, _internal_error)
