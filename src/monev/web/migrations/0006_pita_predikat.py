from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0005_bukti"),
    ]

    operations = [
        migrations.AddField(
            model_name="pemda",
            name="pita_predikat_k",
            field=models.TextField(blank=True, verbose_name="pita predikat kinerja (K)"),
        ),
        migrations.AddField(
            model_name="pemda",
            name="pita_predikat_rp",
            field=models.TextField(blank=True, verbose_name="pita predikat anggaran (Rp)"),
        ),
        migrations.AlterField(
            model_name="riwayat",
            name="jenis",
            field=models.CharField(
                choices=[
                    ("target", "Target"),
                    ("pagu", "Pagu"),
                    ("realisasi_k", "Realisasi kinerja"),
                    ("realisasi_rp", "Realisasi anggaran"),
                    ("narasi", "Narasi"),
                    ("status", "Status"),
                    ("impor", "Impor"),
                    ("pengaturan", "Pengaturan pemda"),
                ],
                max_length=20,
            ),
        ),
    ]
