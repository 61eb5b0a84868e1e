"""Core demo data: the five zones of the seed page, their partner bureaus,
enterprises named on the page, people, and one account per role and zone.

Identifiers are synthetic but valid (check characters computed); 身份证号
use current county codes such as 441204 (高要区) and 441284 (四会市).
"""

import hashlib
import random

from gaoxin.core import services
from gaoxin.core.enums import DepartmentKind, JobType, PersonRole, Role
from gaoxin.core.validators import USCC_ALPHABET, id_check_digit, uscc_check_char

ZONES = [
    # code, name, province, city, region code for synthetic USCCs
    ("zhaoqing", "肇庆高新区", "广东省", "肇庆市", "441200"),
    ("xiamen", "厦门火炬高新区", "福建省", "厦门市", "350200"),
    ("jinan", "济南高新区", "山东省", "济南市", "370100"),
    ("xianning", "咸宁高新区", "湖北省", "咸宁市", "421200"),
    ("ankang", "安康高新区", "陕西省", "安康市", "610900"),
]

DEPARTMENTS = {
    "zhaoqing": [
        ("肇庆高新区劳动和社会保障局", DepartmentKind.HRSS),
        ("肇庆高新区市场监督管理局", DepartmentKind.MARKET),
        ("肇庆高新区社会工作局", DepartmentKind.SOCIAL_WORK),
        ("肇庆高新区总工会", DepartmentKind.UNION),
        ("肇庆高新区“两新”组织党工委", DepartmentKind.PARTY),
    ],
    "xiamen": [
        ("厦门市高层次人才引进专项办公室", DepartmentKind.OTHER),
        ("厦门火炬高新区管委会", DepartmentKind.OTHER),
    ],
    "jinan": [
        ("济南高新区投资促进部", DepartmentKind.INVESTMENT),
        ("济南高新区市场监督管理局", DepartmentKind.MARKET),
    ],
    "xianning": [("咸宁高新区党工委", DepartmentKind.PARTY)],
    "ankang": [("安康高新区总工会", DepartmentKind.UNION)],
}

ENTERPRISES = {
    "zhaoqing": [
        ("肇庆市中旺通物流代理有限公司", "物流快递", True),
        ("肇庆市速达同城配送有限公司", "即时配送", True),
        ("肇庆高新区顺程货运代理有限公司", "道路货运", True),
        ("肇庆市畅行网约车服务有限公司", "网约车", True),
        ("肇庆高新区星汉电子科技有限公司", "电子信息", False),
    ],
    "xiamen": [
        ("厦门高新技术创业中心有限公司", "科技服务", False),
        ("厦门韫茂科技有限公司", "半导体与集成电路", False),
    ],
    "jinan": [
        ("临工重机股份有限公司", "智能制造与高端装备", False),
        ("山东电工电气集团有限公司", "电力装备", False),
        ("山东高速信联科技股份有限公司", "大数据与新一代信息技术", False),
        ("中孚信息股份有限公司", "大数据与新一代信息技术", False),
        ("金现代信息产业股份有限公司", "大数据与新一代信息技术", False),
    ],
    "xianning": [
        ("红牛维他命饮料（湖北）有限公司", "食品饮料", False),
        ("湖北三环汽车方向机有限公司", "汽车零部件", False),
        ("黄鹤楼酒业（咸宁）有限公司", "食品饮料", False),
        ("湖北福人金身药业有限公司", "生物医药", False),
        ("维格斯湖北流体技术有限公司", "装备制造", False),
        ("咸宁南玻光电玻璃有限公司", "新材料", False),
    ],
    "ankang": [("安康高新区桃花源文旅发展有限公司", "文化旅游", False)],
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海波鑫宇浩然子豪晓东立新国庆春梅小龙振华德明永红玉兰文杰俊杰思远"
ID_REGIONS = [
    "441202",
    "441203",
    "441204",
    "441284",
    "441223",
    "441224",
    "450321",
    "431121",
    "362427",
    "513822",
]

ROLE_ACCOUNTS = [  # suffix, role
    ("admin", Role.ZONE_ADMIN),
    ("officer", Role.OFFICER),
    ("instructor", Role.INSTRUCTOR),
    ("keeper", Role.STATION_KEEPER),
    ("worker", Role.WORKER),
    ("enterprise", Role.ENTERPRISE_CONTACT),
    ("judge", Role.JUDGE),
    ("entrant", Role.ENTRANT),
    ("finance", Role.FINANCE),
    ("liaison", Role.DEPARTMENT_LIAISON),
]

DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("admin", "平台管理员（全部园区）", "全部"),
    ("national", str(Role.NATIONAL_VIEWER.label), "全部"),
] + [
    (f"{code}.{suffix}", str(role.label), name)
    for code, name, *_ in ZONES
    for suffix, role in ROLE_ACCOUNTS
]


def synthetic_uscc(seed: str, region: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    org = "".join(USCC_ALPHABET[b % len(USCC_ALPHABET)] for b in digest[:9])
    first17 = f"91{region}{org}"
    return first17 + uscc_check_char(first17)


def synthetic_id(rng: random.Random, region: str) -> str:
    birth = f"{rng.randint(1965, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"{region}{birth}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def _people(rng: random.Random, count: int, used_names: set) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        if name not in used_names:
            used_names.add(name)
            names.append(name)
    return names


def load(ctx) -> None:
    from django.contrib.auth.hashers import make_password

    from gaoxin.demo import DEMO_PASSWORD
    from gaoxin.registry import services as registry_services  # the registry's writes

    rng = random.Random(20231101)
    hashed = make_password(DEMO_PASSWORD)  # one slow hash, shared by every demo account
    admin = services.user_create(
        actor=None,
        username="admin",
        password="",
        password_hash=hashed,
        zone=None,
        roles=[],
        display_name="平台管理员",
        is_superuser=True,
    )
    ctx.users["admin"] = admin
    ctx.users["national"] = services.user_create(
        actor=admin,
        username="national",
        password="",
        password_hash=hashed,
        zone=None,
        roles=[Role.NATIONAL_VIEWER],
        display_name="火炬中心统计员",
    )
    phone_seq = iter(range(10_000_000, 99_999_999, 7919))
    used_names = {"冯立松", "韦志强"}
    for code, name, province, city, region in ZONES:
        zone = services.zone_create(actor=admin, code=code, name=name, province=province, city=city)
        ctx.zones[code] = zone
        for dept_name, kind in DEPARTMENTS[code]:
            registry_services.department_create(actor=admin, zone=zone, name=dept_name, kind=kind)
        firms = [
            registry_services.enterprise_create(
                actor=admin,
                zone=zone,
                data={
                    "name": firm,
                    "uscc": synthetic_uscc(firm, region),
                    "industry": industry,
                    "is_new_economy": new_economy,
                    "address": f"{city}{name}",
                    "contact_name": rng.choice(SURNAMES) + "经理",
                    "contact_phone": f"13{rng.randint(0, 9)}{next(phone_seq):08d}",
                },
            )
            for firm, industry, new_economy in ENTERPRISES[code]
        ]
        gig_firms = [f for f in firms if f.is_new_economy] or firms
        people = []
        if code == "zhaoqing":
            people.append(
                registry_services.person_create(
                    actor=admin,
                    zone=zone,
                    data={
                        "name": "冯立松",
                        "id_number": synthetic_id(rng, "441202"),
                        "phone": f"138{next(phone_seq):08d}",
                        "role": PersonRole.ENTERPRISE_CONTACT,
                        "employer": firms[0],
                    },
                )
            )
            people.append(
                registry_services.person_create(
                    actor=admin,
                    zone=zone,
                    data={
                        "name": "韦志强",
                        "id_number": synthetic_id(rng, "450321"),
                        "phone": f"137{next(phone_seq):08d}",
                        "role": PersonRole.WORKER,
                        "job_type": JobType.COURIER,
                        "employer": firms[0],
                    },
                )
            )
        count = 60 if code == "zhaoqing" else 8
        jobs = [JobType.COURIER, JobType.FOOD_DELIVERY, JobType.RIDE_HAILING, JobType.TRUCK_DRIVER]
        for person_name in _people(rng, count, used_names):
            people.append(
                registry_services.person_create(
                    actor=admin,
                    zone=zone,
                    data={
                        "name": person_name,
                        "id_number": synthetic_id(rng, rng.choice(ID_REGIONS)),
                        "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}{next(phone_seq):08d}",
                        "role": PersonRole.WORKER,
                        "job_type": rng.choice(jobs),
                        "employer": rng.choice(gig_firms),
                    },
                )
            )
        ctx.zones[code].people = people
        ctx.zones[code].enterprises = firms
        for suffix, role in ROLE_ACCOUNTS:
            linked = None
            if role == Role.WORKER:
                linked = next(p for p in people if p.role == PersonRole.WORKER)
            elif role == Role.ENTERPRISE_CONTACT and code == "zhaoqing":
                linked = people[0]
            username = f"{code}.{suffix}"
            ctx.users[username] = services.user_create(
                actor=admin,
                username=username,
                password="",
                password_hash=hashed,
                zone=zone,
                roles=[role],
                display_name=f"{name}{role.label}",
                person=linked,
            )
        ctx.say(f"  {name}：{len(firms)} 家企业，{len(people)} 名人员，{len(ROLE_ACCOUNTS)} 个账号")
