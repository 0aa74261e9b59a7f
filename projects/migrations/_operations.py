"""Migration operations shared by this app's migrations."""

from django.db import migrations


class PostgresOnly:
    """Runs the operation on PostgreSQL only; the SQLite default keeps the model state only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresOnlyAddIndex(PostgresOnly, migrations.AddIndex):
    """The GIN indexes exist only on PostgreSQL."""


class PostgresOnlyRemoveIndex(PostgresOnly, migrations.RemoveIndex):
    """Removes an index that PostgresOnlyAddIndex created only on PostgreSQL."""


class PostgresOnlyRunSQL(PostgresOnly, migrations.RunSQL):
    """SQL written for PostgreSQL (triggers, functions); the SQLite default does without."""
