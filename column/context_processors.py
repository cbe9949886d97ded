from django.conf import settings

from column.models import Column


def site(request):
    return {"site_name": settings.SITE_NAME, "nav_columns": Column.objects.only("slug", "name")}
