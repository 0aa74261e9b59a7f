"""A contract's default milestone keeps the platform's wording as a flag (shown in the reader's
language), and a milestone-plan change keeps codes and params instead of English lines. The old
rows are read back (bids/legacy_contract_text.py); a line that is no known wording is kept as
text. Backwards the flag is dropped (the English text is still stored) and the lines are written
in English."""

from django.db import migrations, models

from bids.legacy_contract_text import (
    DEFAULT_DESCRIPTIONS,
    DEFAULT_TITLE,
    legacy_change_lines,
)

BATCH = 500


def forward(apps, schema_editor):
    ContractMilestone = apps.get_model("bids", "ContractMilestone")
    ContractChange = apps.get_model("bids", "ContractChange")
    ContractMilestone.objects.filter(
        title=DEFAULT_TITLE, description__in=DEFAULT_DESCRIPTIONS
    ).update(default_wording=True)
    changed = []
    rows = ContractChange.objects.exclude(summary="").only("pk", "summary")
    for row in rows.iterator(chunk_size=BATCH):
        row.lines, row.summary = legacy_change_lines(row.summary), ""
        changed.append(row)
        if len(changed) >= BATCH:
            ContractChange.objects.bulk_update(changed, ["lines", "summary"])
            changed = []
    ContractChange.objects.bulk_update(changed, ["lines", "summary"])


def backward(apps, schema_editor):
    from django.utils import translation

    from bids.models import change_line_text  # pure: builds text, reads nothing

    ContractChange = apps.get_model("bids", "ContractChange")
    changed = []
    with translation.override("en"):
        rows = ContractChange.objects.exclude(lines=[]).only("pk", "lines")
        for row in rows.iterator(chunk_size=BATCH):
            row.summary = "\n".join(change_line_text(line) for line in row.lines)
            changed.append(row)
            if len(changed) >= BATCH:
                ContractChange.objects.bulk_update(changed, ["summary"])
                changed = []
        ContractChange.objects.bulk_update(changed, ["summary"])


class Migration(migrations.Migration):
    dependencies = [("bids", "0004_merge_0003_bidevent_code_params_0003_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="contractmilestone",
            name="default_wording",
            field=models.BooleanField(
                default=False,
                help_text="Title and description are the platform's, shown in the reader's "
                "language.",
            ),
        ),
        migrations.AddField(
            model_name="contractchange",
            name="lines",
            field=models.JSONField(
                blank=True, default=list, help_text="Each change: its code and params."
            ),
        ),
        migrations.AlterField(
            model_name="contractchange",
            name="summary",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
