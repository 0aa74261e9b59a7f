"""Bid history stores what happened (a code), not an English sentence: the old rows' notes are
mapped to codes (bids/legacy_history.py); a note that is no known sentence is kept as typed."""

from django.db import migrations, models

from bids.legacy_history import english_note, legacy_bid_event

BATCH = 500


def forward(apps, schema_editor):
    BidEvent = apps.get_model("bids", "BidEvent")
    changed = []
    rows = BidEvent.objects.only("pk", "to_status", "note").iterator(chunk_size=BATCH)
    for event in rows:
        event.code, event.params, event.note = legacy_bid_event(event.to_status, event.note)
        changed.append(event)
        if len(changed) >= BATCH:
            BidEvent.objects.bulk_update(changed, ["code", "params", "note"])
            changed = []
    BidEvent.objects.bulk_update(changed, ["code", "params", "note"])


def backward(apps, schema_editor):
    BidEvent = apps.get_model("bids", "BidEvent")
    changed = []
    for event in BidEvent.objects.only("pk", "code", "note").iterator(chunk_size=BATCH):
        event.note = english_note(event.code, event.note)
        changed.append(event)
        if len(changed) >= BATCH:
            BidEvent.objects.bulk_update(changed, ["note"])
            changed = []
    BidEvent.objects.bulk_update(changed, ["note"])


class Migration(migrations.Migration):
    dependencies = [("bids", "0002_contract_nda_version")]

    operations = [
        migrations.AddField(
            model_name="bidevent",
            name="code",
            field=models.CharField(
                choices=[
                    ("placed", "Bid placed"),
                    ("withdrawn", "Withdrawn by the expert"),
                    ("awarded", "Awarded by the client"),
                    ("award_withdrawn", "Award withdrawn by the client"),
                    ("declined", "Award declined by the expert"),
                    ("confirmed", "Award confirmed by the expert"),
                    ("lost", "Project awarded to another bid"),
                    (
                        "invitation_accepted",
                        "Invitation accepted: bid made on the expert's behalf at the platform's "
                        "price",
                    ),
                    ("offer_accepted", "Offer accepted by the client"),
                    ("booking_made", "Booking made"),
                    ("other_offer_accepted", "Another offer accepted"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="bidevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
