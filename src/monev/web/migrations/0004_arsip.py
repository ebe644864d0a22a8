"""A Renja is archived, never deleted with its history (issue 13)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0003_snapshot"),
    ]

    operations = [
        migrations.AddField(
            model_name="renja",
            name="diarsipkan",
            field=models.BooleanField(default=False, verbose_name="diarsipkan"),
        ),
        migrations.AlterField(
            model_name="riwayat",
            name="renja",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="riwayat",
                to="monev.renja",
            ),
        ),
    ]
