"""`clause-audit serve`: the web API and the self-check page, run by uvicorn.

FastAPI and uvicorn are imported only when the server starts; the app is built in each worker
process from `api.app:create_app` and reads its settings from CLAUSE_AUDIT_* environment variables.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

EXIT_ERROR = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `clause-audit serve`."""
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1：只有本机可以访问）")
    parser.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N", help="服务进程数（默认 1）")
    parser.add_argument(
        "--no-api-key",
        action="store_true",
        help="监听非本机地址时也不要求 API 密钥（仅在前面有做了鉴权的反向代理时使用）",
    )
    parser.add_argument("--root-path", default="", metavar="PATH", help="反向代理下的路径前缀，如 /clause-audit")
    parser.add_argument(
        "--rules", action="append", metavar="DIR", help="追加本地规则目录（可重复；同 id 规则覆盖内置规则）"
    )


def run(args: argparse.Namespace) -> int:
    """Check the set-up (dependencies, settings, rule library, API key), then serve until stopped."""
    try:
        import uvicorn

        from api.settings import ENV_API_KEY, Settings, SettingsError
    except ImportError as exc:
        sys.stderr.write(f"clause-audit: 无法启动服务，缺少依赖：{exc.name}（请重新安装 clause-audit）\n")
        return EXIT_ERROR
    if args.rules:
        from clause_audit.library import RULES_ENV

        # the worker processes build their app from the environment
        os.environ[RULES_ENV] = os.pathsep.join(p for p in [os.environ.get(RULES_ENV, ""), *args.rules] if p)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.stderr.write(f"clause-audit: 配置错误：{exc}\n")
        return EXIT_ERROR
    if not settings.api_key and not args.no_api_key and not is_loopback(args.host):
        sys.stderr.write(
            f"clause-audit: 监听 {args.host} 时其他计算机也能访问本服务，必须设置 API 密钥：\n"
            f"  export {ENV_API_KEY}=<足够长的随机字符串>\n"
            "或者在已做鉴权的反向代理之后运行时，用 --no-api-key 明确关闭密钥检查。\n"
        )
        return EXIT_ERROR
    from clause_audit.cli import load_rules

    load_rules(args.rules)  # a broken rule library is reported here, not as a worker's traceback
    where = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(
        f"clause-audit: 自查页面 http://{where}:{args.port}{args.root_path}/ ，"
        f"API 说明 http://{where}:{args.port}{args.root_path}/openapi.json（Ctrl+C 停止）\n"
    )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        root_path=args.root_path,
        proxy_headers=True,
        server_header=False,
        log_level="info",
    )
    return 0


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"端口应为 1 到 65535 之间的整数：{text}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return int(text)
