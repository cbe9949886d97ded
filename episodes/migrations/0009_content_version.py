"""Once the content version of the page cache; the `pagecache` app owns it now (its 0001 migration).

Kept, empty, so that the databases that applied it and those that did not share one history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0008_updated_at_index"),
        ("column", "0006_updated_at_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = []
