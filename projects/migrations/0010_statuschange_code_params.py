"""Project history stores what happened (a code and its params), not an English sentence: the
old rows' notes are mapped to codes (projects/legacy_history.py); a note that is no known
sentence is kept as typed."""

from django.db import migrations, models

from projects.legacy_history import english_note, legacy_status_change

BATCH = 500


def forward(apps, schema_editor):
    Change = apps.get_model("projects", "ProjectStatusChange")
    changed = []
    for row in Change.objects.only("pk", "to_status", "note").iterator(chunk_size=BATCH):
        row.code, row.params, row.note = legacy_status_change(row.to_status, row.note)
        changed.append(row)
        if len(changed) >= BATCH:
            Change.objects.bulk_update(changed, ["code", "params", "note"])
            changed = []
    Change.objects.bulk_update(changed, ["code", "params", "note"])


def backward(apps, schema_editor):
    Change = apps.get_model("projects", "ProjectStatusChange")
    changed = []
    for row in Change.objects.only("pk", "code", "params", "note").iterator(chunk_size=BATCH):
        row.note = english_note(row.code, row.params or {}, row.note)
        changed.append(row)
        if len(changed) >= BATCH:
            Change.objects.bulk_update(changed, ["note"])
            changed = []
    Change.objects.bulk_update(changed, ["note"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_nda_acceptance_and_public_summary")]

    operations = [
        migrations.AddField(
            model_name="projectstatuschange",
            name="code",
            field=models.CharField(default="other", max_length=30),
        ),
        migrations.AddField(
            model_name="projectstatuschange",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
