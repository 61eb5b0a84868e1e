"""Django's SQLite backend, with the writers of one database waiting in a queue.

Every transaction begins IMMEDIATE: it takes SQLite's one write lock up front. A
writer that finds the lock taken is left to SQLite's busy handler, which sleeps and
retries — 1, 2, 5, 10 … then 50 and 100 ms between tries — so under many concurrent
writers a waiter sleeps on past the moment the lock came free, the lock sits idle
while requests pile up, and the unlucky ones wait seconds. Here a writer first waits
on a lock of its server process (a thread is woken the instant the one before it
commits), then, against the other processes, on an advisory file lock beside the
database, tried every half millisecond; when BEGIN IMMEDIATE runs, SQLite's lock is
then almost always free. Both waits give up after the busy timeout, with the error
SQLite would have raised, so no request waits without bound.
"""

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

POLL_SECONDS = 0.0005

_guard = threading.Lock()
_process_locks: dict[str, threading.Lock] = {}
_lock_files: dict[str, tuple[int, int]] = {}  # path -> (pid that opened it, fd)


def _process_lock(key: str) -> threading.Lock:
    with _guard:
        return _process_locks.setdefault(key, threading.Lock())


def _lock_file(path: str) -> int:
    """This process's descriptor of the lock file (reopened after a fork: a descriptor
    shared with the parent would share its lock, and exclude nothing)."""
    with _guard:
        pid, fd = _lock_files.get(path, (None, -1))
        if pid != os.getpid():
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            _lock_files[path] = (os.getpid(), fd)
        return fd


def _is_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_held = None  # the process lock this connection holds, while it does
    _writer_fd: int = -1

    def _writer_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _writer_acquire(self) -> None:
        name = str(self.settings_dict["NAME"])
        key = name if _is_memory(name) else os.path.abspath(name)
        deadline = time.monotonic() + self._writer_timeout()
        lock = _process_lock(key)
        if not lock.acquire(timeout=self._writer_timeout()):
            raise OperationalError("database is locked")
        fd = -1
        try:
            if not _is_memory(name):  # another process may write to a file database
                fd = _lock_file(key + "-writer.lock")
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise OperationalError("database is locked") from None
                        time.sleep(POLL_SECONDS)
        except BaseException:
            lock.release()
            raise
        self._writer_held, self._writer_fd = lock, fd

    def _writer_release(self) -> None:
        lock, fd = self._writer_held, self._writer_fd
        if lock is None:
            return
        self._writer_held, self._writer_fd = None, -1
        try:
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            lock.release()

    def _start_transaction_under_autocommit(self):
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._writer_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._writer_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._writer_release()
