import django.contrib.postgres.indexes
from django.db import migrations, models

from projects.migrations._operations import PostgresOnlyAddIndex


class Migration(migrations.Migration):
    """A small word index over the featured listings: the featured part of every search reads it
    instead of scanning the matches of all listings a second time."""

    dependencies = [
        ("projects", "0013_template_german"),
    ]

    operations = [
        PostgresOnlyAddIndex(
            model_name="project",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(
                    ("status", "open"), ("visibility", "public"), ("featured_until__isnull", False)
                ),
                fields=["search_vector"],
                name="project_featured_search",
            ),
        ),
    ]
