"""The health check a load balancer or orchestrator polls."""

from django.db import DatabaseError
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """200 when a real table can be read, 503 when it cannot.

    ``SELECT 1`` answers without touching the database file, so it stays green while
    the file is locked, missing or unmigrated; reading the migrations table does not.
    """
    try:
        MigrationRecorder.Migration.objects.exists()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
