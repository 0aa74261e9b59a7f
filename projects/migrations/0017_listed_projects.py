import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from projects.migrations._operations import PostgresOnlyAddIndex, PostgresOnlyRunSQL

# The columns ListedProject copies from Project, in its order.
COPIED = (
    "published_at",
    "featured_until",
    "budget_min",
    "budget_max",
    "location_type",
    "country",
    "search_vector",
)
COLUMNS = ", ".join(COPIED)
NEW = ", ".join(f"NEW.{column}" for column in COPIED)
OLD = ", ".join(f"OLD.{column}" for column in ("status", "visibility", *COPIED))
CHANGED = ", ".join(f"NEW.{column}" for column in ("status", "visibility", *COPIED))
UPDATES = ", ".join(f"{column} = EXCLUDED.{column}" for column in COPIED)

TRIGGERS = f"""
CREATE FUNCTION projects_keep_listed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.status = 'open' AND NEW.visibility = 'public' THEN
        INSERT INTO projects_listedproject (project_id, {COLUMNS})
        VALUES (NEW.id, {NEW})
        ON CONFLICT (project_id) DO UPDATE SET {UPDATES};
    ELSIF TG_OP <> 'INSERT' THEN
        DELETE FROM projects_listedproject WHERE project_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER projects_project_listed AFTER INSERT OR DELETE ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_keep_listed();
-- A save writes every column: the row is copied again only when a copied one changed (a bid
-- count going up does not touch it).
CREATE TRIGGER projects_project_relisted AFTER UPDATE ON projects_project
    FOR EACH ROW WHEN (({OLD}) IS DISTINCT FROM ({CHANGED}))
    EXECUTE FUNCTION projects_keep_listed();
INSERT INTO projects_listedproject (project_id, {COLUMNS})
    SELECT id, {COLUMNS} FROM projects_project WHERE status = 'open' AND visibility = 'public';
"""

DROP_TRIGGERS = """
DROP TRIGGER projects_project_relisted ON projects_project;
DROP TRIGGER projects_project_listed ON projects_project;
DROP FUNCTION projects_keep_listed();
"""


class Migration(migrations.Migration):
    """A narrow copy of the open public projects for ranking word searches, kept in step by
    triggers on projects_project (see ListedProject)."""

    dependencies = [
        ("projects", "0016_merge_featured_index_and_field_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListedProject",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                ("published_at", models.DateTimeField(null=True, verbose_name="published at")),
                ("featured_until", models.DateTimeField(null=True, verbose_name="featured until")),
                ("budget_min", models.BigIntegerField(verbose_name="budget from")),
                ("budget_max", models.BigIntegerField(verbose_name="budget up to")),
                ("location_type", models.CharField(max_length=6, verbose_name="location type")),
                ("country", models.CharField(max_length=60, verbose_name="country")),
                (
                    "search_vector",
                    django.contrib.postgres.search.SearchVectorField(
                        null=True, verbose_name="search vector"
                    ),
                ),
            ],
            options={
                "verbose_name": "listed project",
                "verbose_name_plural": "listed projects",
            },
        ),
        PostgresOnlyAddIndex(
            model_name="listedproject",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="listed_project_search"
            ),
        ),
        PostgresOnlyRunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
