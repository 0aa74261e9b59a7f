"""Find a Freelancer's stored search vectors (headline A, skills B, bio C) for expert profiles,
with filter tokens beside the words: "#s<skill>", "#l<language>", "#x<country>" and
"#k<account type>" (see projects.search, which queries words and tokens in one GIN scan).

Refreshed in one statement for all profiles (or some): rows whose vector did not change are left
alone. A beat job runs it every few minutes; accounts may call it after a profile edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from projects.search import EXPERTS, forget_search_results

REFRESH_SQL = """
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
{where}
ON CONFLICT (profile_id) DO UPDATE
SET vector = EXCLUDED.vector, refreshed_at = EXCLUDED.refreshed_at
WHERE projects_expertsearchindex.vector IS DISTINCT FROM EXCLUDED.vector
"""


def refresh_expert_index(*, profile_ids: Iterable[int] | None = None) -> int:
    """(Re)compute the vectors of these profiles (all when None); returns rows changed."""
    if connection.vendor != "postgresql":
        return 0  # the SQLite default searches with icontains instead
    ids = None if profile_ids is None else [int(pk) for pk in profile_ids]
    where, params = ("", []) if ids is None else ("WHERE p.id = ANY(%s)", [ids])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL.format(where=where), params)
        changed = cursor.rowcount
    if changed:
        forget_search_results(EXPERTS)
    return changed
