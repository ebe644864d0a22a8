"""Many pemda on one server (issue 17): add a pemda, tie it to its province, and give a user a
role in a pemda. Used by `monev kelola tambah_pemda` / `tambah_pengguna` (the server operator's
tools); each write is one transaction, refused whole with a message that says what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from monev.web.models import Pemda, PerangkatDaerah, Profil

Peran = Profil.Peran


def pemda_by_name(nama: str) -> Pemda:
    found = Pemda.objects.filter(nama=nama.strip()).first()
    if found is None:
        names = ", ".join(Pemda.objects.order_by("nama").values_list("nama", flat=True))
        raise ValidationError(f"pemda '{nama}' tidak ada (yang ada: {names or 'belum ada'})")
    return found


@transaction.atomic
def pemda_create(*, nama: str, jenis: str, provinsi: str | None = None) -> Pemda:
    """Add a pemda (a kabupaten/kota may name its province, which must already exist)."""
    nama = nama.strip()
    if not nama:
        raise ValidationError("nama pemda kosong")
    if jenis not in Pemda.Jenis.values:
        raise ValidationError(
            f"jenis '{jenis}' tidak dikenal; pilih {', '.join(Pemda.Jenis.values)}"
        )
    if Pemda.objects.filter(nama=nama).exists():
        raise ValidationError(f"pemda '{nama}' sudah ada")
    pemda = Pemda(nama=nama, jenis=jenis, provinsi=pemda_by_name(provinsi) if provinsi else None)
    pemda.full_clean()
    pemda.save()
    return pemda


@dataclass(frozen=True)
class HasilPengguna:
    user: Any
    dibuat: bool


@transaction.atomic
def pengguna_set(
    *,
    username: str,
    peran: str,
    pemda: str | None = None,
    kode_pd: str | None = None,
    email: str = "",
    password: str | None = None,
) -> HasilPengguna:
    """Create a user, or change an existing one's role, pemda and PD.

    Every role but the ministry's needs a pemda; an operator also a PD of that pemda (by code);
    the ministry has neither. A new user without a password cannot sign in until one is set
    (`monev kelola changepassword`)."""
    if peran not in Peran.values:
        raise ValidationError(f"peran '{peran}' tidak dikenal; pilih {', '.join(Peran.values)}")
    found_pemda: Pemda | None = None
    pd: PerangkatDaerah | None = None
    if peran == Peran.KEMENTERIAN:
        if pemda or kode_pd:
            raise ValidationError("peran kementerian tidak terikat pada pemda atau PD")
    else:
        if not pemda:
            raise ValidationError(f"peran {peran} memerlukan --pemda")
        found_pemda = pemda_by_name(pemda)
    if peran == Peran.OPERATOR:
        if not kode_pd:
            raise ValidationError("peran operator memerlukan --pd (kode Perangkat Daerah)")
        pd = PerangkatDaerah.objects.filter(pemda=found_pemda, kode=kode_pd).first()
        if pd is None:
            raise ValidationError(
                f"{found_pemda} tidak memiliki Perangkat Daerah berkode '{kode_pd}'"
            )
    elif kode_pd:
        raise ValidationError("--pd hanya untuk peran operator")
    User = get_user_model()
    user, dibuat = User.objects.get_or_create(username=username.strip())
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif dibuat:
        user.set_unusable_password()
    user.save()
    Profil.objects.update_or_create(
        user=user, defaults={"peran": peran, "pemda": found_pemda, "perangkat_daerah": pd}
    )
    return HasilPengguna(user, dibuat)
