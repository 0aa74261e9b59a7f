"""Migration operations shared by this app's migrations."""

from django.db import migrations


class PostgresOnlyAddIndex(migrations.AddIndex):
    """The GIN index exists only on PostgreSQL; the SQLite default keeps the model state only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
