"""Streaming work over forked worker processes, in bounded memory.

Each worker runs one long-lived function over its share of the items (so spaCy keeps one
`nlp.pipe` per worker, batching across articles) and sends back only the small results, never
spaCy Docs. Workers are forked so they share the already loaded model copy-on-write; a `Pool`
forks when it is entered, so a caller can fork before it opens a database connection (DuckDB
connections must not cross a fork). Items are handed out in chunks through a bounded queue, so
memory does not grow with the number of items; results come back in completion order.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE = "__done__"
_ERROR = "__error__"


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _worker(fn: Callable[[Iterator[Any]], Iterator[Any]], inbox, outbox, send_every: int) -> None:
    # A fork inherits the parent's signal handlers (Dagster's turns SIGTERM into an exception, after which
    # the worker hung at exit on its queue): the parent's terminate() must end a worker, and Ctrl-C, sent to
    # the whole process group, is the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    def items() -> Iterator[Any]:
        while True:
            chunk = inbox.get()
            if chunk is None:
                return
            yield from chunk

    try:
        buf: list[Any] = []
        for result in fn(items()):
            buf.append(result)
            if len(buf) >= send_every:
                outbox.put(buf)
                buf = []
        if buf:
            outbox.put(buf)
        outbox.put(_DONE)
    except BaseException:  # the parent re-raises it with the worker's traceback
        outbox.put((_ERROR, traceback.format_exc()))


class Pool:
    """`with Pool(fn, n) as pool: for r in pool.map(items): ...` -- fn runs in n forked workers
    (in this process when n <= 1). The workers are forked on entering the block."""

    def __init__(self, fn: Callable[[Iterator[T]], Iterator[R]], n_process: int, chunk_size: int = 16) -> None:
        self.fn, self.n, self.chunk_size = fn, n_process, chunk_size
        self.workers: list = []
        self._used = False

    def __enter__(self) -> "Pool":
        if self.n > 1:
            ctx = mp.get_context("fork")
            self.inbox = ctx.Queue(maxsize=2 * self.n)
            self.outbox = ctx.Queue(maxsize=4 * self.n)
            self.workers = [ctx.Process(target=_worker, args=(self.fn, self.inbox, self.outbox, self.chunk_size),
                                        daemon=True) for _ in range(self.n)]
            for w in self.workers:
                w.start()
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            if w.is_alive():
                w.terminate()
            w.join(timeout=5)
            if w.is_alive():
                w.kill()
                w.join(timeout=5)
        if self.workers:
            # chunks still queued for workers that are gone: without this, multiprocessing's exit handler
            # waits forever for the queue's feeder thread, blocked on a pipe nobody reads
            for q in (self.inbox, self.outbox):
                q.cancel_join_thread()
                q.close()
        self.workers = []

    def map(self, items: Iterable[T]) -> Iterator[R]:
        """Results of fn over items; call once per pool. Items are read by a thread of this process."""
        if self._used:
            raise RuntimeError("a Pool runs one stream of items")
        self._used = True
        if not self.workers:
            yield from self.fn(iter(items))
            return
        feed_error: list[BaseException] = []
        stop = threading.Event()

        def feed() -> None:
            try:
                for chunk in _chunks(items, self.chunk_size):
                    while not stop.is_set():
                        try:
                            self.inbox.put(chunk, timeout=0.5)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
            except BaseException as exc:  # reading the items failed: stop the workers, report it
                feed_error.append(exc)
            finally:
                for _ in self.workers:
                    try:
                        self.inbox.put(None, timeout=5)
                    except queue.Full:
                        pass

        feeder = threading.Thread(target=feed, name="parallel-feed", daemon=True)
        feeder.start()
        finished = 0
        try:
            while finished < len(self.workers):
                try:
                    msg = self.outbox.get(timeout=1.0)
                except queue.Empty:
                    dead = [w for w in self.workers if not w.is_alive() and w.exitcode not in (0, None)]
                    if dead:
                        raise RuntimeError(f"a worker process died (exit code {dead[0].exitcode})") from None
                    continue
                if msg == _DONE:
                    finished += 1
                elif isinstance(msg, tuple) and msg and msg[0] == _ERROR:
                    raise RuntimeError(f"a worker process failed:\n{msg[1]}")
                else:
                    yield from msg
            if feed_error:
                raise feed_error[0]
        finally:
            stop.set()
            feeder.join(timeout=5)


def stream(fn: Callable[[Iterator[T]], Iterator[R]], items: Iterable[T], n_process: int,
           chunk_size: int = 16) -> Iterator[R]:
    """Results of fn over items, run in n_process forked workers (in this process when n_process <= 1)."""
    with Pool(fn, n_process, chunk_size) as pool:
        yield from pool.map(items)
