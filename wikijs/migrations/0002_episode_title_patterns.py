from django.db import migrations


def fill_title_patterns(apps, schema_editor):
    """Columns imported before imports derived title patterns get theirs from their episodes' titles."""
    from column.models import TITLE_PATTERN_EXAMPLES, title_pattern_of

    Column = apps.get_model("column", "Column")
    Episode = apps.get_model("episodes", "Episode")
    for column in Column.objects.filter(episode_title_pattern=""):
        numbered = Episode.objects.filter(column=column).exclude(number=None).order_by("-number")
        latest = numbered.values_list("number", "title")
        pattern = title_pattern_of(latest[:TITLE_PATTERN_EXAMPLES])
        if pattern:
            Column.objects.filter(pk=column.pk).update(episode_title_pattern=pattern)


class Migration(migrations.Migration):
    dependencies = [
        ("wikijs", "0001_tab_notices"),
        ("column", "0009_navigation_notes"),
        ("episodes", "0016_air_dates"),
    ]

    operations = [migrations.RunPython(fill_title_patterns, migrations.RunPython.noop)]
