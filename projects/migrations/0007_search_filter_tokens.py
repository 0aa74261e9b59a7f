"""Find a Project's vector gains filter tokens (category, skills, languages, day and month of
publication) and its GIN index covers only listed projects (open and public)."""

import django.contrib.postgres.indexes
from django.db import migrations, models

from projects.migrations._operations import PostgresOnlyAddIndex, PostgresOnlyRemoveIndex

# A frozen copy of projects.services.lifecycle.SEARCH_VECTOR_SQL as of this migration.
VECTORS = """
UPDATE projects_project AS p
SET search_vector =
    setweight(to_tsvector('english'::regconfig, COALESCE(p.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE((
        SELECT string_agg(sk.name, ' ' ORDER BY sk.name)
        FROM projects_project_skills ps JOIN accounts_skill sk ON sk.id = ps.skill_id
        WHERE ps.project_id = p.id), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(p.description, '')), 'C')
    || array_to_tsvector(
        ARRAY['#c' || p.category_id]
        || ARRAY(SELECT '#s' || ps.skill_id FROM projects_project_skills ps
                 WHERE ps.project_id = p.id)
        || ARRAY(SELECT '#l' || pl.language_id FROM projects_project_languages pl
                 WHERE pl.project_id = p.id)
        || CASE WHEN p.published_at IS NULL THEN ARRAY[]::text[] ELSE ARRAY[
            '#d' || to_char(p.published_at AT TIME ZONE 'UTC', 'YYYYMMDD'),
            '#m' || to_char(p.published_at AT TIME ZONE 'UTC', 'YYYYMM')] END)
"""


def recompute_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTORS)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_extra_fee_requests"),
    ]

    operations = [
        PostgresOnlyRemoveIndex(model_name="project", name="project_search_gin"),
        migrations.RunPython(recompute_vectors, migrations.RunPython.noop),
        PostgresOnlyAddIndex(
            model_name="project",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("status", "open"), ("visibility", "public")),
                fields=["search_vector"],
                name="project_listed_search",
            ),
        ),
    ]
