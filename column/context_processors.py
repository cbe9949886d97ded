from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from column.models import Column


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": _("节目视频与完整文稿"),
        "nav_columns": Column.objects.in_navigation().only("slug", "name"),
        "default_social_image": static("img/social-card.png"),
    }
