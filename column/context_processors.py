from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from column.models import WIKI_HOME_PATH, Column, Page


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": _("节目视频与完整文稿"),
        "nav_columns": Column.objects.in_navigation().only("slug", "name"),
        # The wiki's site pages (当前进度, 协作编辑, …), linked from the footer.
        "footer_pages": Page.objects.filter(column__isnull=True, is_published=True)
        .exclude(path=WIKI_HOME_PATH)
        .only("path", "title"),
        "default_social_image": static("img/social-card.png"),
    }
