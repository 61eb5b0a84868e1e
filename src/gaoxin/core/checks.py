"""`gaoxin check`: warns when GAOXIN_FIELD_KEY cannot read the data already stored.

A key changed without keeping the old one (GAOXIN_FIELD_KEY="new,old") leaves
every stored 身份证号 and 手机号 unreadable; this finds out at start-up, from
one sample row, instead of at the first reveal or export.
"""

from django.apps import apps
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.db import DatabaseError
from django.db.models import Q


@register()
def field_key_decrypts_stored_data(app_configs=None, **kwargs):
    from gaoxin.core import crypto

    Person = apps.get_model("registry", "Person")

    try:
        sample = (
            Person.objects.filter(~Q(id_number_cipher="") | ~Q(phone_cipher=""))
            .order_by("-pk")
            .values_list("id_number_cipher", "phone_cipher")
            .first()
        )
    except DatabaseError:  # not migrated yet, or no database: nothing stored to read
        return []
    if sample is None:
        return []
    try:
        for ciphertext in sample:
            crypto.decrypt(ciphertext)
    except crypto.FieldKeyError as exc:
        return [
            CheckWarning(
                exc.message,
                hint="GAOXIN_FIELD_KEY=<新密钥>,<旧密钥>（逗号分隔：第一个加密，全部可解密），"
                "然后运行 gaoxin rekey 用新密钥重新加密。",
                id="gaoxin.W001",
            )
        ]
    return []
