"""Managed projects: the client's seat in a bid conversation was opened without an alias, so the
expert read the client's name; give existing seats and messages the alias "Client"."""

from django.db import migrations

CLIENT_ALIAS = "Client"


def name_the_client_by_alias(apps, schema_editor):
    Conversation = apps.get_model("messaging", "Conversation")
    Participant = apps.get_model("messaging", "Participant")
    Message = apps.get_model("messaging", "Message")
    Bid = apps.get_model("bids", "Bid")
    for conversation in Conversation.objects.filter(key__startswith="bid:").iterator():
        bid_id = conversation.key.split(":", 1)[1]
        if not bid_id.isdigit():
            continue
        owner_id = (
            Bid.objects.filter(pk=int(bid_id), project__managed=True)
            .values_list("project__owner_id", flat=True)
            .first()
        )
        if owner_id is None:
            continue
        Participant.objects.filter(conversation=conversation, user_id=owner_id, alias="").update(
            alias=CLIENT_ALIAS
        )
        Message.objects.filter(
            conversation=conversation, sender_id=owner_id, from_staff=False
        ).update(sender_name=CLIENT_ALIAS)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("bids", "0002_contract_nda_version"),
    ]

    operations = [
        migrations.RunPython(name_the_client_by_alias, migrations.RunPython.noop),
    ]
