"""The old wiki's addresses keep working: a page the site cannot find gets a second look.

As Django's own flatpages and redirects fall back on a 404, so do we: an
address that no view answers, or whose view found nothing (`/main/601-700/`
looks like an episode's address, `/status/` like a column's), is looked up
as a path of the wiki. Old links may carry a trailing slash or not, a `.md`
suffix or percent-encoding (Django has decoded the last already).
"""

import re

from django.shortcuts import redirect

from column.models import Column, Page
from column.views import SitePageView
from episodes.models import Episode


def old_address_response(request, path):
    """A response for the wiki path `path`: a site page, or a redirect to where the page lives now; else None."""
    page = Page.objects.filter(path=path).select_related("column").first()
    if page is not None and page.column_id:
        return redirect(page.column, permanent=True)
    if page is not None and page.is_published:
        if request.path != page.get_absolute_url():
            return redirect(page, permanent=True)
        return SitePageView.as_view()(request, page=page).render()
    episode = Episode.objects.public().filter(legacy_path=path).select_related("column").first()
    if episode is not None:
        return redirect(episode, permanent=True)
    column = Column.objects.filter(slug=path).first()
    if column is not None:
        return redirect(column, permanent=True)
    return None


# The wiki's addresses may start with its language (`/zh/main/…`), and its range folders may be
# written zero-padded (`/main/001-100/47`).
LANGUAGE_PREFIX = re.compile(r"^(?:zh|en|zh-hans|zh-cn)/", re.IGNORECASE)
PADDED_RANGE = re.compile(r"(?<=/)0+(\d+)-0*(\d+)(?=/)")


def wiki_paths(path):
    """The wiki paths an address may stand for, the address as written first."""
    unprefixed = LANGUAGE_PREFIX.sub("", path)
    candidates = [path, unprefixed, PADDED_RANGE.sub(r"\1-\2", unprefixed)]
    return list(dict.fromkeys(candidates))


class OldAddressFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path_info.strip("/").removesuffix(".md")
        for candidate in wiki_paths(path) if path else ():
            found = old_address_response(request, candidate)
            if found is not None:
                return found
        return response
