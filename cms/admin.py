from django.contrib import admin

from episodes.dashboard import dashboard


class CMSAdminSite(admin.AdminSite):
    site_header = "栏目文稿管理"
    site_title = "栏目文稿管理"
    index_title = "工作台"
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard()} if request.user.has_perm("episodes.view_episode") else {}
        return super().index(request, {**context, **(extra_context or {})})
