"""Booking history stores what happened (a code and its params), not an English sentence: the
old rows' notes are mapped to codes (bookings/legacy_history.py); a note that is no known
sentence is kept as typed."""

from django.db import migrations, models

from bookings.legacy_history import english_note, legacy_booking_event

BATCH = 500


def forward(apps, schema_editor):
    BookingEvent = apps.get_model("bookings", "BookingEvent")
    changed = []
    for row in BookingEvent.objects.only("pk", "to_status", "note").iterator(chunk_size=BATCH):
        row.code, row.params, row.note = legacy_booking_event(row.to_status, row.note)
        changed.append(row)
        if len(changed) >= BATCH:
            BookingEvent.objects.bulk_update(changed, ["code", "params", "note"])
            changed = []
    BookingEvent.objects.bulk_update(changed, ["code", "params", "note"])


def backward(apps, schema_editor):
    """The English notes come back (amounts written in English); typed notes stay."""
    from django.utils import translation

    BookingEvent = apps.get_model("bookings", "BookingEvent")
    changed = []
    with translation.override("en"):
        rows = BookingEvent.objects.only("pk", "code", "params", "note").iterator(chunk_size=BATCH)
        for row in rows:
            row.note = english_note(row.code, row.params or {}, row.note)
            changed.append(row)
            if len(changed) >= BATCH:
                BookingEvent.objects.bulk_update(changed, ["note"])
                changed = []
        BookingEvent.objects.bulk_update(changed, ["note"])


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="bookingevent",
            name="code",
            field=models.CharField(default="other", max_length=20),
        ),
        migrations.AddField(
            model_name="bookingevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
