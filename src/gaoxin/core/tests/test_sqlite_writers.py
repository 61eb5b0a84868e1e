"""SQLite writers wait in a queue (gaoxin.core.db.sqlite3) instead of SQLite's busy
handler: the queue is taken with the transaction and given back at its end, however
it ends; a writer waits at most the busy timeout; and threads writing at once lose
nothing."""

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from gaoxin.core.models import Throttle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the writer queue is SQLite's")


def _fresh(timeout: float):
    """A second connection to the test database, as another thread or process has."""
    fresh = connections.create_connection("default")
    options = {**fresh.settings_dict.get("OPTIONS", {}), "timeout": timeout}
    fresh.settings_dict = {**fresh.settings_dict, "OPTIONS": options}
    return fresh


def _lock_path() -> str:
    return os.path.abspath(str(connection.settings_dict["NAME"])) + "-writer.lock"


def _free_for_another_process() -> bool:
    """Whether another process could take the queue now (a second open file
    description conflicts with this process's, as another process's would)."""
    fd = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_the_settings_use_the_queueing_backend():
    assert connection.settings_dict["ENGINE"] == "gaoxin.core.db.sqlite3"


def test_a_transaction_holds_the_queue_until_it_commits_or_rolls_back():
    assert _free_for_another_process()
    with transaction.atomic():
        Throttle.objects.create(key="a", window_start=timezone.now())
        assert not _free_for_another_process()
    assert _free_for_another_process()
    with pytest.raises(RuntimeError), transaction.atomic():
        Throttle.objects.create(key="b", window_start=timezone.now())
        raise RuntimeError("the request failed")
    assert _free_for_another_process()
    assert list(Throttle.objects.values_list("key", flat=True)) == ["a"]


def test_a_writer_gives_up_after_the_busy_timeout_and_then_writes_normally():
    other = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)  # another server process is writing
    fresh = _fresh(timeout=0.2)
    try:
        fresh.ensure_connection()
        with pytest.raises(OperationalError, match="database is locked"):
            fresh.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        fresh.set_autocommit(True)
        fcntl.flock(other, fcntl.LOCK_UN)  # it committed
        fresh.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with fresh.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_throttle (key, window_start, count) VALUES ('c', '2026-01-01', 0)"
            )
        fresh.commit()
        fresh.set_autocommit(True)
        assert _free_for_another_process()
    finally:
        os.close(other)
        fresh.close()
    assert Throttle.objects.filter(key="c").exists()


def test_closing_a_connection_inside_a_transaction_gives_the_queue_back():
    fresh = _fresh(timeout=1)
    fresh.ensure_connection()
    fresh.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert not _free_for_another_process()
    fresh.close()
    assert _free_for_another_process()


def test_threads_writing_at_once_lose_no_update():
    """Read-then-write increments from 8 threads: the queue and BEGIN IMMEDIATE let no
    two of them read the same count."""
    Throttle.objects.create(key="n", window_start=timezone.now(), count=0)
    errors: list[Exception] = []

    def work():
        try:
            for _ in range(25):
                with transaction.atomic():
                    row = Throttle.objects.get(key="n")
                    Throttle.objects.filter(key="n").update(count=row.count + 1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Throttle.objects.get(key="n").count == 200
    assert _free_for_another_process()
