"""The batch worker pool: a worker stuck past its deadline is killed, a dead one replaced, order kept."""

from __future__ import annotations

import os
import time

from clause_audit.batch import WorkerPool
from clause_audit.model import Failure


def _task(kind: str) -> str:
    if kind == "hang":
        time.sleep(3600)  # stuck where no cooperative check can reach
    if kind == "die":
        os._exit(9)  # a crash, or the kernel's out-of-memory killer
    return kind.upper()


def test_hung_and_dead_workers_become_failures_and_the_batch_goes_on() -> None:
    pool = WorkerPool(_task, 2, hard_timeout=1.0, source_of=lambda args: f"{args[0]}.txt")
    started = time.monotonic()
    results = list(pool.run([("a",), ("hang",), ("b",), ("die",), ("c",), ("d",)]))
    assert time.monotonic() - started < 10
    assert results[0] == "A" and results[2] == "B" and results[4:] == ["C", "D"]
    hung, dead = results[1], results[3]
    assert isinstance(hung, Failure) and (hung.source, hung.code) == ("hang.txt", "timeout")
    assert isinstance(dead, Failure) and dead.code == "internal_error" and "意外退出" in dead.message
    assert pool._pool == []  # every worker was stopped


def test_stopping_early_stops_the_workers() -> None:
    pool = WorkerPool(_task, 2, hard_timeout=30.0, source_of=lambda args: str(args[0]))
    results = pool.run([("a",), ("hang",), ("hang",), ("b",)])
    assert next(results) == "A"
    processes = [w.process for w in pool._pool]
    results.close()
    assert all(not p.is_alive() for p in processes)
