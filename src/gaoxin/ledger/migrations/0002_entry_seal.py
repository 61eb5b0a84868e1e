"""Every ledger entry gets a seal (a keyed hash of its fields); entries written
before this migration are sealed as they stand now, under the current key."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from gaoxin.ledger.models import seal_of

    LedgerEntry = apps.get_model("ledger", "LedgerEntry")
    batch = []
    for entry in LedgerEntry.objects.filter(seal="").order_by("pk").iterator(chunk_size=2000):
        entry.seal = seal_of(entry)
        batch.append(entry)
        if len(batch) >= 2000:
            LedgerEntry.objects.bulk_update(batch, ["seal"])
            batch = []
    LedgerEntry.objects.bulk_update(batch, ["seal"])


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="seal",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="封签"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
