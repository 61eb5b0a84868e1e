"""Helpers for the programs' tests (not used by the running platform)."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once(calls: Sequence[Callable[[], object]], *, timeout: float = 60) -> list:
    """Run each call in its own thread, all released together by a barrier, as concurrent
    clicks and retries arrive; return what each returned or raised, in the calls' order.

    Each thread closes its database connection at the end (a test database is dropped
    only when no thread still holds one)."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - returned for the test to inspect
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def raised(results: list) -> list[Exception]:
    """The exceptions among `at_once`'s results."""
    return [r for r in results if isinstance(r, Exception)]


def forged(token: str) -> str:
    """`token` with its last two characters changed, so it never equals the original
    (a fixed replacement such as "aa" equals it once in a thousand codes)."""
    tail = "".join("b" if c == "a" else "a" for c in token[-2:])
    return token[:-2] + tail
