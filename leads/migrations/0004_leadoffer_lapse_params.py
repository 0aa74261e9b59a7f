"""A lapsed reservation keeps why it lapsed as params ({"why": "balance", "amount": …}) instead of
a sentence in the job's language: the stored sentences are read back (leads/legacy_history.py);
one that is no known sentence stays as it was. Backwards the sentences are written in English."""

from django.db import migrations, models

from leads.legacy_history import legacy_lapse_reason

BATCH = 500


def forward(apps, schema_editor):
    LeadOffer = apps.get_model("leads", "LeadOffer")
    changed = []
    rows = LeadOffer.objects.exclude(lapse_reason="").only("pk", "lapse_reason")
    for row in rows.iterator(chunk_size=BATCH):
        params = legacy_lapse_reason(row.lapse_reason)
        if params:
            row.lapse_params, row.lapse_reason = params, ""
            changed.append(row)
        if len(changed) >= BATCH:
            LeadOffer.objects.bulk_update(changed, ["lapse_params", "lapse_reason"])
            changed = []
    LeadOffer.objects.bulk_update(changed, ["lapse_params", "lapse_reason"])


def backward(apps, schema_editor):
    from django.utils import translation

    from leads.models import lead_event_params_text  # pure: builds text, reads nothing

    LeadOffer = apps.get_model("leads", "LeadOffer")
    changed = []
    with translation.override("en"):
        rows = LeadOffer.objects.exclude(lapse_params={}).only("pk", "lapse_params")
        for row in rows.iterator(chunk_size=BATCH):
            row.lapse_reason = lead_event_params_text(row.lapse_params)[:200]
            changed.append(row)
            if len(changed) >= BATCH:
                LeadOffer.objects.bulk_update(changed, ["lapse_reason"])
                changed = []
        LeadOffer.objects.bulk_update(changed, ["lapse_reason"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_merge_0002_leadevent_params_0002_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="leadoffer",
            name="lapse_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
