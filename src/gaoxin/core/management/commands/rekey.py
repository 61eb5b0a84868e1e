"""`gaoxin rekey`: after putting a new key first in GAOXIN_FIELD_KEY, re-encrypt every
identifier with it and recompute the blind indexes (which follow the first key only)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gaoxin.core import crypto


class Command(BaseCommand):
    help = "用 GAOXIN_FIELD_KEY 的第一个密钥重新加密个人信息并重建检索索引"

    def handle(self, *args, **options):
        # the registry's models, by name: core imports no registry module
        Person = apps.get_model("registry", "Person")
        Enterprise = apps.get_model("registry", "Enterprise")
        people = enterprises = 0
        with transaction.atomic():
            for p in Person.objects.only("id", "id_number_cipher", "phone_cipher").iterator(
                chunk_size=2000
            ):
                number, phone = crypto.decrypt(p.id_number_cipher), crypto.decrypt(p.phone_cipher)
                Person.objects.filter(pk=p.pk).update(
                    id_number_cipher=crypto.encrypt(number),
                    id_number_hash=crypto.blind_index("id", number),
                    phone_cipher=crypto.encrypt(phone),
                    phone_hash=crypto.blind_index("phone", phone),
                )
                people += 1
            for e in Enterprise.objects.only("id", "contact_phone_cipher").iterator(
                chunk_size=2000
            ):
                phone = crypto.decrypt(e.contact_phone_cipher)
                Enterprise.objects.filter(pk=e.pk).update(
                    contact_phone_cipher=crypto.encrypt(phone)
                )
                enterprises += 1
        self.stdout.write(f"已用新密钥重新加密 {people} 名人员、{enterprises} 家企业的个人信息")
