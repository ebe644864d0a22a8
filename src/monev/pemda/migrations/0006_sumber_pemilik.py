import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0009_renstra_link"),
        ("pemda", "0005_angka_jumlah"),
    ]

    operations = [
        migrations.AddField(
            model_name="sumberdata",
            name="pemilik",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sumber_milik",
                to="monev.pemda",
                verbose_name="provinsi pemilik",
            ),
        ),
    ]
