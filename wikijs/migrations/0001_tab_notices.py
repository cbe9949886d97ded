from django.db import migrations


def read_tab_notices(apps, schema_editor):
    """Tabs imported before tabs had notices get the callouts their wiki markup holds."""
    from markup.render import render_markdown
    from wikijs.parser import tab_notice

    Tab = apps.get_model("episodes", "Tab")
    for tab in Tab.objects.exclude(wiki_markup="").filter(notice="").iterator():
        notice = tab_notice(tab.wiki_markup)
        if notice:
            Tab.objects.filter(pk=tab.pk).update(notice=notice, notice_html=render_markdown(notice))


class Migration(migrations.Migration):
    dependencies = [("episodes", "0013_tab_notice")]

    operations = [migrations.RunPython(read_tab_notices, migrations.RunPython.noop)]
