import django.contrib.postgres.search
from django.db import migrations

from sli_portal.search.migration_ops import search_vector, trigram_index


class Migration(migrations.Migration):
    """Regional updates in the header's search: a stored vector of title, summary and body
    (GIN index, kept by a trigger) and a trigram index on the title for typos."""

    dependencies = [
        ("regions", "0010_partners_and_organisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="update",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        search_vector("regions_update", ["title", "summary", "body"]),
        trigram_index("regions_update", "title"),
    ]
