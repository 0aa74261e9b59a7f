"""Lead history stores what an event carries (a price, a count, a reason's code) in params, not
as an English sentence: the old rows' details are mapped (leads/legacy_history.py); a detail
that is no known sentence is kept as typed. Backwards the sentences are written in English."""

from django.db import migrations, models

from leads.legacy_history import legacy_lead_event

BATCH = 500


def forward(apps, schema_editor):
    LeadEvent = apps.get_model("leads", "LeadEvent")
    changed = []
    for row in LeadEvent.objects.only("pk", "action", "detail").iterator(chunk_size=BATCH):
        row.params, row.detail = legacy_lead_event(row.action, row.detail)
        changed.append(row)
        if len(changed) >= BATCH:
            LeadEvent.objects.bulk_update(changed, ["params", "detail"])
            changed = []
    LeadEvent.objects.bulk_update(changed, ["params", "detail"])


def backward(apps, schema_editor):
    from django.utils import translation

    from leads.models import lead_event_params_text  # pure: builds text, reads nothing

    LeadEvent = apps.get_model("leads", "LeadEvent")
    changed = []
    with translation.override("en"):
        rows = LeadEvent.objects.only("pk", "params", "detail").iterator(chunk_size=BATCH)
        for row in rows:
            text = lead_event_params_text(row.params or {})
            if row.params and "providers" in row.params:
                text = f"sent to {row.params['providers']} provider(s)"
            if text:
                row.detail = text[:300]
                changed.append(row)
            if len(changed) >= BATCH:
                LeadEvent.objects.bulk_update(changed, ["detail"])
                changed = []
        LeadEvent.objects.bulk_update(changed, ["detail"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="leadevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
