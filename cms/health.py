from django.db import DatabaseError, connection
from django.http import HttpResponse


def healthz(request):
    """Ready to serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def livez(request):
    """Alive: the process answers, and nothing else is asked (the ceiling `make bench` measures)."""
    return HttpResponse("ok\n", content_type="text/plain")
