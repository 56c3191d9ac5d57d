"""The FastAPI app: `create_app(settings)`; the rulebook is loaded once at start-up and handed to routes."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, File, Form, Header, Query, Request, Security, UploadFile
from fastapi import Path as PathParam
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles

from api import schemas
from api.admission import Admission, BusyGate
from api.audits import (
    PASTED_NAME,
    UPLOAD_NAME,
    Outcome,
    audit_text,
    audit_upload,
    choose_format,
    clean_filename,
    content_disposition,
)
from api.errors import ApiError, input_error, install_error_handlers
from api.limits import UploadLimit, too_large_message
from api.schemas import ErrorResponse
from api.settings import Settings
from clause_audit import __version__
from clause_audit.categories import category_name
from clause_audit.errors import InputError
from clause_audit.library import library_dirs
from clause_audit.pipeline import warm_up
from clause_audit.render.review import cite
from clause_audit.rulebook import Rule, Rulebook, load_rulebook

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """\
审查中文消费合同中的不公平格式条款（“霸王条款”）。上传 Word（.docx）、PDF 或文本文件，或直接提交文字，
返回与命令行 `clause-audit audit --format jsonl` 相同的审查报告对象，也可以下载批注版原文件或审查报告。

- 文件类型按内容识别，不看扩展名；上传大小上限默认 20 MB（`CLAUSE_AUDIT_MAX_UPLOAD_MB`）。
- 所有错误都以 JSON 返回：`{"error": {"code": …, "message": …}}`。
- 设置了 `CLAUSE_AUDIT_API_KEY` 时，`/v1/` 下的接口需要在 `X-API-Key` 请求头（或 `Authorization: Bearer`）中提供该密钥。
- 报告中的 start/end 按 Unicode 码位计数（不是 UTF-16）。
"""

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "请求格式不正确，或所请求的输出格式不适用于该文件"},
    413: {"model": ErrorResponse, "description": "文件或请求体超过大小上限"},
    415: {"model": ErrorResponse, "description": "不支持的文件类型（按内容识别）"},
    422: {"model": ErrorResponse, "description": "参数校验失败，或文件无法审查（已损坏、加密、扫描件、无文字）"},
    500: {"model": ErrorResponse, "description": "服务器内部错误（不含内部细节）"},
    503: {"model": ErrorResponse, "description": "服务器繁忙（同时审查的请求过多），请稍后重试"},
    504: {"model": ErrorResponse, "description": "审查超时"},
}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorResponse, "description": "缺少或错误的 API 密钥"}}
_AUDIT_OK: dict[str, Any] = {
    "model": schemas.Report,
    "description": "审查报告对象；请求了其他格式时为对应的下载文件（Content-Disposition: attachment）",
    "content": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
            "schema": {"type": "string", "format": "binary", "description": "批注版 Word 或 Word 审查意见书"}
        },
        "application/pdf": {"schema": {"type": "string", "format": "binary", "description": "批注版 PDF"}},
        "text/html": {"schema": {"type": "string", "description": "HTML 审查报告"}},
        "text/markdown": {"schema": {"type": "string", "description": "Markdown 审查报告"}},
    },
}


# ---------------------------------------------------------------- dependencies


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_rulebook(request: Request) -> Rulebook:
    """The rulebook loaded at start-up; tests override this dependency."""
    rulebook: Rulebook = request.app.state.rulebook
    return rulebook


_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API 密钥（服务器设置了 CLAUSE_AUDIT_API_KEY 时必填）"
)
_bearer = HTTPBearer(auto_error=False, description="也可以用 Authorization: Bearer <API 密钥> 提供密钥")


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    key: Annotated[str | None, Security(_key_header)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> None:
    expected = settings.api_key
    if expected is None:
        return
    given = key or (bearer.credentials if bearer else "")
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "需要有效的 API 密钥（X-API-Key 请求头）", {"WWW-Authenticate": "Bearer"})


async def in_worker(request: Request, job: Any, *args: Any) -> Outcome:
    """Run a CPU-bound audit in a worker thread, at most `audit_threads` at a time, so the event loop
    (and /healthz) stays responsive while a large PDF is being read; see api/admission.py for the
    queue (503 busy) and the timeout (504)."""
    admission: Admission = request.app.state.admission
    outcome: Outcome = await admission.run(job, *args)
    return outcome


def respond(outcome: Outcome) -> Response:
    if outcome.report is not None:
        return JSONResponse(outcome.report)
    return Response(
        outcome.content,
        media_type=outcome.media_type,
        headers={"Content-Disposition": content_disposition(outcome.filename)},
    )


def _domain(value: str | None) -> str | None:
    return None if value in (None, "auto") else value


FormatQuery = Annotated[schemas.OutputFormat | None, Query(description=schemas.FORMAT_HELP)]
AcceptHeader = Annotated[
    str, Header(description="不带 format 参数时，按 Accept 选择输出格式（如 text/html、application/pdf）")
]


# ---------------------------------------------------------------- routes

audits = APIRouter(prefix="/v1", tags=["审查"])
rules = APIRouter(prefix="/v1", tags=["规则库"])


@audits.post(
    "/audits",
    summary="审查上传的合同文件",
    description="以 multipart/form-data 上传一个 .docx、.pdf 或 .txt 文件。文件类型按内容识别。",
    response_model=None,
    responses={200: _AUDIT_OK, **_ERRORS},
)
async def audit_file(
    request: Request,
    rulebook: Annotated[Rulebook, Depends(get_rulebook)],
    settings: Annotated[Settings, Depends(get_settings)],
    file: Annotated[UploadFile, File(description="合同文件：Word（.docx）、PDF 或文本（UTF-8 / GBK）")],
    domain: Annotated[schemas.DomainChoice | None, Form(description=schemas.DOMAIN_HELP)] = None,
    format: FormatQuery = None,
    accept: AcceptHeader = "",
) -> Response:
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ApiError(413, "too_large", too_large_message(settings.max_upload_bytes))
    name = clean_filename(file.filename, UPLOAD_NAME)
    fmt = choose_format(format, accept)
    return respond(await in_worker(request, audit_upload, data, name, _domain(domain), rulebook, fmt))


@audits.post(
    "/audits/text",
    summary="审查粘贴的文字",
    description="提交 JSON：一条或几条条款，或整份合同的文字。",
    response_model=None,
    responses={200: _AUDIT_OK, **_ERRORS},
)
async def audit_pasted(
    request: Request,
    body: schemas.TextAudit,
    rulebook: Annotated[Rulebook, Depends(get_rulebook)],
    format: FormatQuery = None,
    accept: AcceptHeader = "",
) -> Response:
    name = clean_filename(body.filename, PASTED_NAME)
    fmt = choose_format(format, accept)
    try:
        outcome = await in_worker(request, audit_text, body.text, name, _domain(body.domain), rulebook, fmt)
    except InputError as exc:
        raise input_error(exc, pasted=True) from None
    return respond(outcome)


@rules.get(
    "/rules",
    summary="列出规则",
    response_model=schemas.RuleList,
    response_description="规则库版本和规则列表",
    responses={422: _ERRORS[422]},
)
def list_rules(
    rulebook: Annotated[Rulebook, Depends(get_rulebook)],
    domain: Annotated[schemas.DomainCode | None, Query(description="只列出该领域的规则")] = None,
    severity: Annotated[schemas.SeverityCode | None, Query(description="只列出该风险等级的规则")] = None,
) -> dict[str, Any]:
    chosen = [
        _summary(r)
        for r in rulebook.rules
        if (domain is None or r.info.domain == domain) and (severity is None or r.info.severity == severity)
    ]
    return {"rules_version": rulebook.version, "count": len(chosen), "rules": chosen}


@rules.get(
    "/rules/{rule_id:path}",
    summary="查看一条规则",
    description="规则的全部内容，包括法律依据的条文原文和示例。",
    response_model=schemas.RuleDetail,
    response_description="规则的全部内容",
    responses={404: {"model": ErrorResponse, "description": "没有该 id 的规则"}, 422: _ERRORS[422]},
)
def show_rule(
    rule_id: Annotated[str, PathParam(description="规则 id，如 prepaid/no-refund")],
    rulebook: Annotated[Rulebook, Depends(get_rulebook)],
) -> dict[str, Any]:
    rule = rulebook.get(rule_id)
    if rule is None:
        raise ApiError(404, "not_found", f"没有 id 为 {rule_id} 的规则")
    citations = []
    for ref in rule.info.legal_basis:
        c = cite(ref)
        citations.append(
            {
                "ref": c.ref,
                "law": c.law,
                "article": c.article,
                "text": c.text,
                "status": c.status,
                "status_words": c.status_words,
                "cited_lines": sorted(c.focus),
            }
        )
    examples = [
        {
            "text": e.text,
            "unfair": e.unfair,
            "start": e.span[0] if e.span else None,
            "end": e.span[1] if e.span else None,
        }
        for e in rule.info.examples
    ]
    return {**_summary(rule), "citations": citations, "examples": examples}


def _summary(rule: Rule) -> dict[str, Any]:
    info = rule.info
    return {
        "id": info.id,
        "title": info.title,
        "domain": info.domain,
        "category": info.category,
        "category_name": category_name(info.category),
        "severity": info.severity,
        "message": info.message,
        "legal_basis": list(info.legal_basis),
        "suggestion": info.suggestion,
        "document_level": info.document_level,
    }


# ---------------------------------------------------------------- the app


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    dirs = list(settings.rules_dirs) if settings.rules_dirs is not None else library_dirs()
    app.state.rulebook = load_rulebook(dirs)  # a RuleLoadError stops the start-up with file, line and rule id
    app.state.admission = Admission(settings.audit_threads, settings.audit_queue, settings.audit_timeout_s)
    await anyio.to_thread.run_sync(warm_up)  # before the first request needs it
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web API and the self-check page; settings from the environment unless given."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="clause-audit 格式条款审查 API",
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; the page must work offline
        redoc_url=None,
        openapi_tags=[
            {"name": "审查", "description": "上传文件或提交文字，返回审查报告或批注版文件"},
            {"name": "规则库", "description": "查看已载入的规则及其法律依据"},
            {"name": "运行状态", "description": "健康检查"},
        ],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(BusyGate)  # added last, so it runs first: a full queue reads no upload
    if settings.cors_origins:  # added last, so it is outermost and even a 413 carries the CORS headers
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Authorization", "Content-Type", "X-API-Key"],
            expose_headers=["Content-Disposition"],
        )
    guard = [Depends(require_api_key)] if settings.api_key else []
    extra = _AUTH_ERRORS if settings.api_key else {}
    app.include_router(audits, dependencies=guard, responses=extra)
    app.include_router(rules, dependencies=guard, responses=extra)
    app.add_api_route(
        "/healthz",
        health,
        methods=["GET"],
        tags=["运行状态"],
        summary="健康检查",
        response_model=schemas.Health,
        response_description="服务正常，规则库已载入",
    )
    app.add_api_route("/", page, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def health(
    rulebook: Annotated[Rulebook, Depends(get_rulebook)], settings: Annotated[Settings, Depends(get_settings)]
) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": __version__,
        "rules_version": rulebook.version,
        "rules": len(rulebook.rules),
        "max_upload_bytes": settings.max_upload_bytes,
    }


_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def page() -> FileResponse:
    """The self-check page (plain HTML, CSS and JS from /static: no CDN, no build step)."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)
