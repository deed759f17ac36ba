"""gunicorn's threaded worker, with a deadline for a request's headers.

A threaded worker hands each connection to a thread as soon as its first bytes arrive,
and the thread then blocks until the headers are complete: a client that dribbles them
a byte at a time (a "slowloris") holds a thread for as long as it likes. Here each
request gets ``GUNICORN_HEADER_TIMEOUT`` seconds to deliver its headers; past that its
connection is shut for reading, the thread is freed and the client sees it closed.
The body is not covered (it is bounded by ``DATA_UPLOAD_MAX_MEMORY_SIZE``). A buffering
proxy in front (nginx) is still what production needs; this keeps a bare `make serve`
standing on its own.
"""

import contextlib
import os
import socket
import threading

from gunicorn.workers.gthread import ThreadWorker

_request = threading.local()


def header_timeout():
    return float(os.environ.get("GUNICORN_HEADER_TIMEOUT", "10"))


def _stop_reading(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)


class HeaderDeadlineWorker(ThreadWorker):
    def handle(self, conn):
        deadline = threading.Timer(header_timeout(), _stop_reading, args=(conn.sock,))
        deadline.daemon = True
        _request.deadline = deadline
        deadline.start()
        try:
            return super().handle(conn)
        finally:
            deadline.cancel()
            _request.deadline = None


def headers_received(worker, req):
    """gunicorn's pre_request hook: the headers are in, so lift the deadline."""
    deadline = getattr(_request, "deadline", None)
    if deadline is not None:
        deadline.cancel()
