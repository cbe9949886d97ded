"""Refusals and missing pages that say why, in the admin's layout: the 403 page names the role an action needs."""

import re

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_noop
from django.views import defaults

from episodes.roles import ROLE_LABELS, ROLE_PERMISSIONS

# /admin/<app>/<model>/…/<action>/, where the action is one of the admin's own.
ADMIN_ACTION = re.compile(
    r"^(?P<app>\w+)/(?P<model>\w+)/(?:(?P<add>add)/|.+/(?P<action>delete|change|history)/)?"
)
ACTION_WORDS = {
    "add": gettext_noop("新建"),
    "delete": gettext_noop("删除"),
    "change": gettext_noop("修改"),
    "history": gettext_noop("查看历史"),
    "": gettext_noop("打开这个页面"),
}


def _in_the_admin(request):
    return request.path.startswith("/" + settings.ADMIN_URL) and request.user.is_staff


def permission_denied(request, exception):
    """The admin's refusals in the admin's own layout with the reason in words; elsewhere the site's."""
    if not _in_the_admin(request):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": gettext("没有权限"),
        "reason": str(exception) or required_role(request.path.removeprefix("/" + settings.ADMIN_URL)),
    }
    return TemplateResponse(request, "admin/403.html", context, status=403)


def page_not_found(request, exception):
    """An address of the admin that leads nowhere, said in the admin's layout; elsewhere the site's page."""
    if not _in_the_admin(request):
        return defaults.page_not_found(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": gettext("找不到页面"),
        "reason": gettext("管理后台没有这个地址：%(path)s。它可能已被删除，或者链接有误。")
        % {"path": request.path},
    }
    return TemplateResponse(request, "admin/404.html", context, status=404)


def required_role(admin_path):
    """What the refused action needs, in words: 删除需要主编权限。"""
    match = ADMIN_ACTION.match(admin_path)
    if match is None:
        return gettext("你的角色不能打开这个页面。")
    action = (
        "add" if match["add"] else ("view" if match["action"] == "history" else match["action"] or "view")
    )
    codename = f"{match['app']}.{action}_{match['model']}"
    roles = [gettext(ROLE_LABELS[role]) for role, names in ROLE_PERMISSIONS.items() if codename in names]
    words = gettext(ACTION_WORDS[match["add"] or match["action"] or ""])
    if not roles:
        return gettext("%(action)s需要管理员权限。") % {"action": words}
    return gettext("%(action)s需要%(roles)s权限。") % {"action": words, "roles": gettext("或").join(roles)}


def csrf_failure(request, reason=""):
    """A form sent with an expired or missing token, said in words, with how to keep what was typed."""
    if request.path.startswith("/" + settings.ADMIN_URL):
        context = {
            **admin.site.each_context(request),
            "title": gettext("表单已过期"),
            "reason": gettext("没有保存：这个表单已经过期，可能是登录过期了，或者在别的窗口退出了登录。"),
            "advice": gettext(
                "你的修改还在：请用浏览器的“返回”回到表单，复制修改的文字，重新登录后打开这一页再粘贴保存。"
            ),
        }
        return TemplateResponse(request, "admin/403.html", context, status=403)
    context = {"reason": gettext("没有发送：这个表单已经过期。请返回上一页，刷新后再提交一次。")}
    return TemplateResponse(request, "403.html", context, status=403)
