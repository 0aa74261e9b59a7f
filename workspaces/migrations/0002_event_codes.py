"""The timeline stores what happened (an action code and its params), not an English sentence:
the old rows' sentences are mapped to codes (workspaces/legacy_history.py); a row that matches no
known sentence keeps its text (code "other")."""

from django.db import migrations, models

from workspaces.legacy_history import english_action, legacy_workspace_event

BATCH = 500


def forward(apps, schema_editor):
    WorkspaceEvent = apps.get_model("workspaces", "WorkspaceEvent")
    changed = []
    for event in WorkspaceEvent.objects.only("pk", "action", "note").iterator(chunk_size=BATCH):
        event.action, event.params, event.note = legacy_workspace_event(event.action, event.note)
        changed.append(event)
        if len(changed) >= BATCH:
            WorkspaceEvent.objects.bulk_update(changed, ["action", "params", "note"])
            changed = []
    WorkspaceEvent.objects.bulk_update(changed, ["action", "params", "note"])


def backward(apps, schema_editor):
    """The action text and the details come back as English sentences, as they were stored."""
    from django.utils import translation

    from workspaces.models import workspace_event_detail  # pure: builds text, reads nothing

    WorkspaceEvent = apps.get_model("workspaces", "WorkspaceEvent")
    changed = []
    rows = WorkspaceEvent.objects.only("pk", "action", "params", "note")
    with translation.override("en"):
        for event in rows.iterator(chunk_size=BATCH):
            params = event.params or {}
            detail = workspace_event_detail(event.action, params)
            if detail and event.note:
                joint = " " if detail.endswith(".") else ". "
                event.note = f"{detail}{joint}{event.note}"
            elif detail:
                event.note = detail
            event.action = english_action(event.action, params)[:60]
            changed.append(event)
            if len(changed) >= BATCH:
                WorkspaceEvent.objects.bulk_update(changed, ["action", "note"])
                changed = []
        WorkspaceEvent.objects.bulk_update(changed, ["action", "note"])


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="workspaceevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
