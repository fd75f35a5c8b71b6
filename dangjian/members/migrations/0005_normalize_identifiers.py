"""Stored ID numbers and phones in their canonical form (NFKC: full-width digits → ASCII,
trimmed, upper case), as members.services now stores them: `４１１…` typed before this
change becomes the `411…` that uniqueness and search compare against. A number whose
canonical form another member already holds is left as it is (a duplicate to sort out by
hand, not to merge silently)."""

import unicodedata

from django.db import migrations
from django.db.models import Q


def canonical(value, upper=True):
    value = unicodedata.normalize("NFKC", value or "").strip()
    return value.upper() if upper else value


def normalize(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    odd = Member.objects.filter(Q(id_number__regex=r"[^0-9X]") | Q(phone__regex=r"[^0-9-]"))
    for member in odd.only("pk", "id_number", "phone").iterator(chunk_size=2000):
        fields = []
        id_number = canonical(member.id_number)
        if id_number != member.id_number and len(id_number) <= 18:
            if not Member.objects.filter(id_number=id_number).exclude(pk=member.pk).exists():
                member.id_number = id_number
                fields.append("id_number")
        phone = canonical(member.phone, upper=False)
        if phone != member.phone and len(phone) <= 20:
            member.phone = phone
            fields.append("phone")
        if fields:
            member.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_occupation")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, elidable=True)]
