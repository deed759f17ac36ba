"""gunicorn settings (read automatically from the working directory), from the environment."""

import multiprocessing
import os

from crisis.json_logging import json_logging_config

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers (gthread) whose requests must deliver their headers within
# GUNICORN_HEADER_TIMEOUT seconds (crisis/serving.py): a connection that sends nothing
# waits in the poller, not in a thread, and one that dribbles its headers is cut off,
# so slow clients cannot starve the site as they starve sync workers. A buffering
# proxy in front (nginx) is still required in production.
worker_class = "crisis.serving.HeaderDeadlineWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front of gunicorn, whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_request(worker, req):
    from crisis.serving import headers_received

    headers_received(worker, req)


# Django logs every request as a JSON line (crisis.middleware.RequestLogMiddleware);
# gunicorn's own messages go to stdout as JSON lines too.
accesslog = None
logconfig_dict = json_logging_config(
    loggers={
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    }
)
