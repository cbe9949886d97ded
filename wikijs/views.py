"""The admin's page for importing pages of the wiki, uploaded one by one or as a zipped tree."""

import tempfile
from pathlib import Path

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from episodes.models import Episode
from wikijs.importer import import_tree
from wikijs.uploads import WikiUploadForm


def may_import(user):
    """The archive says which pages are published, so importing it is a publisher's act."""
    return user.has_perms(["episodes.add_episode", "episodes.publish_episode"])


def import_pages(request):
    """Upload pages or a zipped tree of the wiki and import them, as `manage.py import_wikijs` does."""
    if not may_import(request.user):
        raise PermissionDenied
    form = WikiUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="wikijs-upload-") as workdir:
            try:
                form.write_tree(Path(workdir))
            except ValidationError as error:
                form.add_error("files", error)
            else:
                report = import_tree(
                    workdir, overwrite=form.cleaned_data["overwrite"], dry_run=form.cleaned_data["dry_run"]
                )
    context = {
        **admin.site.each_context(request),
        "title": gettext("从 Wiki.js 导入"),
        "opts": Episode._meta,
        "form": form,
        "report": report,
        "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
    }
    return TemplateResponse(request, "admin/wikijs/import.html", context)
