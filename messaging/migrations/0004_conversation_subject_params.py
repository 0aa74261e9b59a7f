"""A conversation keeps its subject (the project title, as typed) and params (alias, side)
instead of an English title: headings are written in the reader's language. The old titles are
read back (messaging/legacy_titles.py); one that is no known wording stays the title. Backwards
the headings are written in English."""

from django.db import migrations, models

from messaging.legacy_titles import legacy_conversation_title

BATCH = 500


def forward(apps, schema_editor):
    Conversation = apps.get_model("messaging", "Conversation")
    changed = []
    rows = Conversation.objects.filter(subject="").only("pk", "kind", "title")
    for row in rows.iterator(chunk_size=BATCH):
        found = legacy_conversation_title(row.kind, row.title)
        if found is not None:
            row.subject, row.params = found
            row.title = ""
            changed.append(row)
        if len(changed) >= BATCH:
            Conversation.objects.bulk_update(changed, ["subject", "params", "title"])
            changed = []
    Conversation.objects.bulk_update(changed, ["subject", "params", "title"])


def backward(apps, schema_editor):
    from django.utils import translation

    from messaging.models import Conversation as Current  # its heading: pure, reads nothing

    Conversation = apps.get_model("messaging", "Conversation")
    changed = []
    with translation.override("en"):
        rows = Conversation.objects.exclude(subject="").only("pk", "kind", "subject", "params")
        for row in rows.iterator(chunk_size=BATCH):
            shown = Current(kind=row.kind, subject=row.subject, params=row.params).heading
            row.title = str(shown)[:200]
            changed.append(row)
            if len(changed) >= BATCH:
                Conversation.objects.bulk_update(changed, ["title"])
                changed = []
        Conversation.objects.bulk_update(changed, ["title"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="subject",
            field=models.CharField(
                blank=True,
                help_text="What the conversation is about, as typed (a project title).",
                max_length=200,
                verbose_name="subject",
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="params",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The heading's variable parts: alias, side.",
                verbose_name="heading details",
            ),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="Only a heading stored before that could not be read back.",
                max_length=200,
                verbose_name="title",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
