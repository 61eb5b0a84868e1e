"""Boring registry factories: records made through the services, as users make them."""

import itertools
import random

from gaoxin.core.models import Zone
from gaoxin.core.tests.factories import valid_id_number, valid_mobile, valid_uscc
from gaoxin.registry import services
from gaoxin.registry.models import Department, Enterprise, Person

_seq = itertools.count(1)


def enterprise(zone: Zone, **data) -> Enterprise:
    values = {"name": f"测试企业{next(_seq)}有限公司", "uscc": valid_uscc(), "industry": "物流"}
    values.update(data)
    return services.enterprise_create(actor=None, zone=zone, data=values)


def person(zone: Zone, **data) -> Person:
    values = {
        "name": random.choice(["张三", "李四", "王五", "冯立松"]),
        "id_number": valid_id_number(),
        "phone": valid_mobile(),
        "role": "worker",
        "job_type": "courier",
    }
    values.update(data)
    return services.person_create(actor=None, zone=zone, data=values)


def department(zone: Zone, **data) -> Department:
    values = {"name": f"人社局{next(_seq)}", "kind": "hrss"}
    values.update(data)
    return services.department_create(actor=None, zone=zone, **values)
