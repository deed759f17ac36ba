"""Two transactions that overlap, as two editors saving at once (PostgreSQL only)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction


def at_once(test):
    """Marks a test of two transactions at once: its own committed transactions, and
    PostgreSQL only (SQLite runs one writing transaction at a time)."""
    test = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writing transaction at a time: no two recounts overlap",
    )(test)
    return pytest.mark.django_db(transaction=True)(test)


def overlapping_writes(first_write, second_write):
    """Run ``first_write`` in a transaction that stays open while ``second_write``
    runs in another thread's; return the errors either raised."""
    written, second_started = threading.Event(), threading.Event()
    failures = []

    def first():
        try:
            with transaction.atomic():
                first_write()
                written.set()
                second_started.wait(10)
                time.sleep(0.5)  # the second save is under way meanwhile
        except Exception as error:  # noqa: BLE001 - returned to the test
            failures.append(error)
        finally:
            connections.close_all()

    def second():
        try:
            written.wait(10)
            second_started.set()
            with transaction.atomic():
                second_write()
        except Exception as error:  # noqa: BLE001 - returned to the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return failures
