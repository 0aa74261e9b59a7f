"""A dispute opened because the client ended the contract says so with a flag, not with an
English sentence glued before the client's reason: the old reasons are split (the sentence is
written when shown, in the reader's language)."""

from django.db import migrations, models

from workspaces.legacy_history import TERMINATION_REASON


def forward(apps, schema_editor):
    Dispute = apps.get_model("workspaces", "Dispute")
    for dispute in Dispute.objects.filter(reason__startswith=TERMINATION_REASON).only("reason"):
        dispute.reason = dispute.reason[len(TERMINATION_REASON) :].strip()
        dispute.contract_ended = True
        dispute.save(update_fields=["reason", "contract_ended"])


def backward(apps, schema_editor):
    Dispute = apps.get_model("workspaces", "Dispute")
    for dispute in Dispute.objects.filter(contract_ended=True).only("reason"):
        dispute.reason = f"{TERMINATION_REASON} {dispute.reason}".strip()
        dispute.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0003_event_action_choices")]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="contract_ended",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="dispute",
            name="reason",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
