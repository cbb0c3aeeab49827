"""Drop the single-column indexes of Slot.service and Hold.slot: the unique (service, date, start_time)
and (slot, status, expires_at) indexes lead with those columns and serve every read by them.

Only the indexes go (DROP INDEX): Django's AlterField would also drop and re-add the foreign keys,
re-checking 7 million slot rows under lock on a region-sized database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operators", "0002_french_and_german_columns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="hold",
                    name="slot",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="holds",
                        to="operators.slot",
                    ),
                ),
                migrations.AlterField(
                    model_name="slot",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="slots",
                        to="operators.service",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "operators_hold_slot_id_ef77e8c7"',
                    'CREATE INDEX "operators_hold_slot_id_ef77e8c7" ON "operators_hold" ("slot_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "operators_slot_service_id_d6693bdd"',
                    'CREATE INDEX "operators_slot_service_id_d6693bdd" ON "operators_slot" ("service_id")',
                ),
            ],
        ),
    ]
