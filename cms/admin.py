from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from episodes.dashboard import dashboard


class CMSAdminSite(admin.AdminSite):
    site_header = _("栏目文稿管理")
    site_title = _("栏目文稿管理")
    index_title = _("工作台")
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard()} if request.user.has_perm("episodes.view_episode") else {}
        return super().index(request, {**context, **(extra_context or {})})
