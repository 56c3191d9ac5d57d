"""Worker processes for a batch: one file at a time per worker, each under a hard deadline.

A worker that outlives its file's deadline (a parser stuck in native code, where the cooperative
time budget cannot reach) is killed and replaced, and so is one that dies (a crash, the kernel's
out-of-memory killer); that file becomes a Failure and the batch goes on. Results come back in
input order.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from clause_audit.errors import INPUT_ERROR_CODES
from clause_audit.model import Failure

Task = Callable[..., Any]


def _serve(conn: Connection, initializer: Callable[..., None], initargs: tuple[Any, ...], task: Task) -> None:
    initializer(*initargs)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, args = message
        conn.send((index, task(*args)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    index: int | None = None  # the task it is working on
    deadline: float = 0.0


@dataclass
class WorkerPool:
    """`run(tasks)` calls `task(*args)` for each args in worker processes; see the module docstring."""

    task: Task
    workers: int
    hard_timeout: float
    source_of: Callable[[tuple[Any, ...]], str]  # names an input in the Failure of a lost worker
    initializer: Callable[..., None] = lambda: None
    initargs: tuple[Any, ...] = ()
    method: str = "fork"
    _pool: list[_Worker] = field(default_factory=list)

    def _start(self) -> _Worker:
        ctx: Any = multiprocessing.get_context(self.method)
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(child, self.initializer, self.initargs, self.task), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def run(self, tasks: Sequence[tuple[Any, ...]]) -> Iterator[Any]:
        results: dict[int, Any] = {}
        todo = list(range(len(tasks)))
        todo.reverse()
        next_out = 0
        self._pool = [self._start() for _ in range(max(1, min(self.workers, len(tasks))))]

        def dispatch() -> None:
            for worker in self._pool:
                if worker.index is None and todo:
                    worker.index = todo.pop()
                    worker.deadline = time.monotonic() + self.hard_timeout
                    worker.conn.send((worker.index, tasks[worker.index]))

        try:
            while next_out < len(tasks):
                dispatch()
                busy = [w for w in self._pool if w.index is not None]
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = wait([w.conn for w in busy], timeout)
                for worker in busy:
                    assert worker.index is not None
                    if worker.conn in ready:
                        try:
                            index, result = worker.conn.recv()
                        except (EOFError, OSError):
                            results[worker.index] = self._lost(tasks[worker.index], "internal_error")
                            self._replace(worker)
                            continue
                        results[index] = result
                        worker.index = None
                    elif time.monotonic() >= worker.deadline:
                        results[worker.index] = self._lost(tasks[worker.index], "timeout")
                        self._replace(worker)
                # hand idle workers their next file before the caller gets results: it may take a
                # while with each (rendering, writing), and the workers would wait for it meanwhile
                dispatch()
                while next_out in results:
                    yield results.pop(next_out)
                    next_out += 1
        finally:
            for worker in self._pool:
                self._stop(worker, kill=worker.index is not None)
            self._pool = []

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker, kill=True)
        self._pool[self._pool.index(worker)] = self._start()

    def _lost(self, args: tuple[Any, ...], code: str) -> Failure:
        if code == "timeout":
            detail = f"超过 {self.hard_timeout:g} 秒仍未完成，已终止该文件的审查进程"
        else:
            detail = "审查进程意外退出（可能是内存不足），已跳过该文件"
        return Failure(self.source_of(args), code, f"{INPUT_ERROR_CODES[code]}：{detail}")
