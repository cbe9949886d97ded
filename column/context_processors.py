from django.conf import settings
from django.templatetags.static import static

from column.models import Column


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "nav_columns": Column.objects.only("slug", "name"),
        "default_social_image": static("img/social-card.png"),
    }
