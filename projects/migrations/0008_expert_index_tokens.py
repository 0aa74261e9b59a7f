"""Find a Freelancer's stored vectors gain filter tokens (skills, languages, country, account
type): recomputed here once rather than waiting for the beat job."""

from django.db import migrations

# A frozen copy of projects.services.expert_index.REFRESH_SQL as of this migration.
REFRESH = """
INSERT INTO projects_expertsearchindex (profile_id, vector, refreshed_at)
SELECT p.id,
       setweight(to_tsvector('english'::regconfig, COALESCE(p.headline, '')), 'A')
       || setweight(to_tsvector('english'::regconfig, COALESCE(s.names, '')), 'B')
       || setweight(to_tsvector('english'::regconfig, COALESCE(p.bio, '')), 'C')
       || array_to_tsvector(
           ARRAY['#k' || u.account_type]
           || ARRAY(SELECT '#s' || es.skill_id FROM accounts_expertskill es
                    WHERE es.profile_id = p.id)
           || ARRAY(SELECT '#l' || el.language_id FROM accounts_expertlanguage el
                    WHERE el.profile_id = p.id)
           || CASE WHEN p.country = '' THEN ARRAY[]::text[] ELSE ARRAY['#x' || p.country] END),
       now()
FROM accounts_expertprofile p
JOIN accounts_user u ON u.id = p.user_id
LEFT JOIN (
    SELECT es.profile_id, string_agg(sk.name, ' ' ORDER BY sk.name) AS names
    FROM accounts_expertskill es
    JOIN accounts_skill sk ON sk.id = es.skill_id
    GROUP BY es.profile_id
) s ON s.profile_id = p.id
ON CONFLICT (profile_id) DO UPDATE
SET vector = EXCLUDED.vector, refreshed_at = EXCLUDED.refreshed_at
WHERE projects_expertsearchindex.vector IS DISTINCT FROM EXCLUDED.vector
"""


def recompute(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFRESH)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_search_filter_tokens"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
