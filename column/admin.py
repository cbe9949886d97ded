from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from column.models import Column, ColumnNotice, Page
from markup.forms import TEXT_AS_STORED


class ColumnNoticeInline(admin.StackedInline):
    formfield_overrides = TEXT_AS_STORED
    model = ColumnNotice
    extra = 0
    fields = ["kind", "text", "position"]


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AS_STORED
    list_display = ["name", "slug", "description", "position", "public_episode_count", "new_episode_link"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ColumnNoticeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "about", "position", "shows_corrections_log"]}),
        (
            _("新一期的默认值"),
            {"fields": ["episode_title_pattern", "default_tab_labels", "default_warning"]},
        ),
    ]

    @admin.display(description="")
    def new_episode_link(self, column):
        url = reverse("admin:episodes_episode_add")
        return format_html(
            '<a class="addlink" href="{}?column={}">{}</a>', url, column.pk, gettext("新建一期")
        )

    @admin.display(description=_("已公开节目"))
    def public_episode_count(self, column):
        return column.episodes.public().count()


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AS_STORED
    list_display = ["title", "path", "column", "is_published", "updated_at"]
    list_filter = ["is_published", "column"]
    search_fields = ["title", "path", "body"]
    readonly_fields = ["legacy_path", "updated_at"]
    fields = ["path", "title", "description", "body", "is_published", "column", "legacy_path", "updated_at"]
