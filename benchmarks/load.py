"""Bounded load test of the web API on loopback: requests per second and latency percentiles.

Starts `clause-audit serve` on a free 127.0.0.1 port, then for 1, 4 and 16 concurrent clients posts
a sample DOCX to /v1/audits for a fixed time and prints throughput and p50/p95 latency; finally
probes /healthz while 16 clients keep the server saturated. Traffic goes to 127.0.0.1 only, every
loop stops at its deadline, and the server is stopped at the end.

    python benchmarks/load.py                 # 10 s per level
    python benchmarks/load.py --seconds 4     # quicker
    python benchmarks/load.py --workers 2     # uvicorn worker processes
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "prepaid" / "gym-membership.docx"
HOST = "127.0.0.1"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.latencies.append(seconds)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def multipart(data: bytes, filename: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body: bytes = b"", ctype: str = "") -> tuple[int, float]:
    """The status and the Retry-After seconds (0 when absent)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        headers = {"Content-Type": ctype} if ctype else {}
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        retry = response.getheader("Retry-After", "0")
        return response.status, float(retry) if retry.replace(".", "", 1).isdigit() else 0.0
    finally:
        conn.close()


def hammer(port: int, body: bytes, ctype: str, deadline: float, tally: Tally, polite: bool) -> None:
    """Post the sample until the deadline; a polite client waits as a 503's Retry-After asks."""
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            status, retry_after = request(port, "POST", "/v1/audits", body, ctype)
        except OSError:
            status, retry_after = 0, 0.0
        tally.add(status, time.perf_counter() - start)
        if polite and status == 503 and retry_after:
            time.sleep(max(0.0, min(retry_after, deadline - time.perf_counter())))


def run_level(port: int, clients: int, seconds: float, body: bytes, ctype: str, polite: bool) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=hammer, args=(port, body, ctype, deadline, tally, polite)) for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def probe_health(port: int, deadline: float, out: list[float]) -> None:
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        request(port, "GET", "/healthz")
        out.append(time.perf_counter() - start)
        time.sleep(0.05)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "clause_audit.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer /healthz within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each level (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--clients", default="1,4,16", help="concurrency levels (default 1,4,16)")
    parser.add_argument(
        "--impatient",
        action="store_true",
        help="retry a 503 at once instead of waiting as its Retry-After asks (a hostile client)",
    )
    args = parser.parse_args()
    body, ctype = multipart(SAMPLE.read_bytes(), SAMPLE.name)
    port = free_port()
    server = start_server(port, args.workers)
    results: dict[str, object] = {
        "sample": SAMPLE.name,
        "seconds": args.seconds,
        "workers": args.workers,
        "polite": not args.impatient,
    }
    try:
        request(port, "POST", "/v1/audits", body, ctype)  # warm: rule library, jieba
        print(f"{'clients':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}  statuses")
        levels = []
        for clients in (int(c) for c in args.clients.split(",")):
            tally = run_level(port, clients, args.seconds, body, ctype, not args.impatient)
            ok = len(tally.latencies)
            row = {
                "clients": clients,
                "rps": ok / args.seconds,
                "p50_ms": percentile(tally.latencies, 50) * 1000,
                "p95_ms": percentile(tally.latencies, 95) * 1000,
                "statuses": dict(sorted(tally.statuses.items())),
            }
            levels.append(row)
            print(
                f"{clients:>7} {row['rps']:>7.2f} {row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f}  {row['statuses']}",
                flush=True,
            )
        results["levels"] = levels
        health: list[float] = []
        deadline = time.perf_counter() + args.seconds
        prober = threading.Thread(target=probe_health, args=(port, deadline, health))
        prober.start()
        saturated = run_level(port, 16, args.seconds, body, ctype, not args.impatient)
        prober.join()
        results["healthz_saturated"] = {
            "probes": len(health),
            "p50_ms": percentile(health, 50) * 1000,
            "p95_ms": percentile(health, 95) * 1000,
            "audit_statuses": dict(sorted(saturated.statuses.items())),
        }
        print(
            f"/healthz while 16 clients saturate the server: p50 {percentile(health, 50) * 1000:.1f} ms, "
            f"p95 {percentile(health, 95) * 1000:.1f} ms over {len(health)} probes"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    out = ROOT / "out" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load-latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(f"written: {out / 'load-latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
