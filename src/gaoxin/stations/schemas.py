import datetime as dt

from ninja import Field, Schema

from gaoxin.core.cleaning import LabelledSchema
from gaoxin.core.schemas import Day, Id


class StationIn(LabelledSchema):
    zone_id: Id | None = Field(None, description="跨园区账号必填")
    name: str = Field(..., title="驿站名称")
    kind: str = Field(
        ..., title="驿站类型", description="hub 枢纽驿站 / partner 合作驿站 / merchant 爱心商家"
    )
    address: str = Field(..., title="地址")
    lat: float
    lng: float
    crs: str = Field("wgs84", description="输入坐标系：wgs84 / gcj02（高德、腾讯）/ bd09（百度）")
    is_24h: bool = False
    hours: dict[str, str] | str = Field(
        default_factory=dict, description='"08:00-20:00" 或 {"mon": "08:00-12:00,14:00-20:00", …}'
    )
    amenities: list[str] = []
    capacity: int = Field(10, ge=0, le=100_000)
    phone: str = ""
    keeper_id: Id | None = None


class StationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    address: str | None = None
    lat: float | None = None
    lng: float | None = None
    crs: str | None = None
    is_24h: bool | None = None
    hours: dict[str, str] | str | None = None
    amenities: list[str] | None = None
    capacity: int | None = Field(None, ge=0, le=100_000)
    phone: str | None = None
    keeper_id: Id | None = None


class StationOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    address: str
    lat: float
    lng: float
    is_24h: bool
    hours_text: str
    amenities: list[str]
    capacity: int
    phone: str
    keeper_id: int | None
    status: str


class NearbyOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    address: str
    lat: float = Field(..., description="按请求的坐标系返回")
    lng: float
    distance_m: int
    open_now: bool
    hours_text: str
    amenities: list[str]


class NearbyList(Schema):
    items: list[NearbyOut]
    count: int


class StationCheckinIn(Schema):
    code: str = Field(..., description="驿站海报二维码中的签到码")
    services: list[str] = []


class CheckinOut(Schema):
    id: int
    station_id: int
    occurred_at: dt.datetime
    services: list[str]
    person: str = Field("", description="脱敏姓名与手机号")


class WalkinIn(Schema):
    day: Day
    visits: int = Field(..., ge=1, le=100_000)
    services: list[str] = []
    note: str = ""


class WalkinOut(Schema):
    id: int
    station_id: int
    day: dt.date
    visits: int
    services: list[str]


class StatusIn(Schema):
    reason: str = ""


class CountRow(Schema):
    key: str
    value: int


class StationRow(Schema):
    station_id: int
    name: str
    visits: int
    workers: int


class StatsOut(Schema):
    zone_id: int
    visits: int
    visits_text: str = Field(..., description="如“6000 多人次”")
    workers: int = Field(
        ...,
        description="扫码劳动者人数：不限期间时为累计去重；指定 since/until 时按期间所涉月份去重",
    )
    by_month: list[CountRow]
    by_service: list[CountRow]
    by_job: list[CountRow]
    by_station: list[StationRow]


# ------------------------------------------------------------------ what the phone pages do


class StationPublicOut(Schema):
    """A station as the phone pages show it to anyone (no keeper, no capacity)."""

    id: int
    zone_id: int
    name: str
    kind: str
    address: str
    lat: float = Field(..., description="按请求的坐标系返回")
    lng: float
    is_24h: bool
    hours_text: str
    amenities: list[str]
    phone: str
    status: str
    open_now: bool = Field(..., description="此刻能否签到：开放状态、开放时间、临时闭站")
    visits: int = Field(..., description="累计服务人次（含站长登记）")
    visits_text: str
    workers: int = Field(..., description="累计扫码劳动者人数")


class FirstVisitIn(Schema):
    code: str = Field(..., description="驿站海报二维码中的签到码")
    phone: str = Field(..., description="手机号（11 位）")
    job_type: str = Field(
        ...,
        description="职业类型：courier 快递员 / food_delivery 外卖骑手 / "
        "ride_hailing 网约车司机 / truck_driver 货车司机 / "
        "designated_driver 代驾司机 / other 其他",
    )
    name: str = Field("", max_length=40, description="称呼（可不填）")
    pin: str = Field("", description="6 位数字密码（可不填），之后可凭手机号和密码换取令牌")
    services: list[str] = []


class WorkerOut(Schema):
    id: int
    zone_id: int
    name: str
    phone_masked: str
    job_type: str


class FirstVisitOut(Schema):
    note: str = Field(
        ...,
        description="registered 新登记（返回令牌）/ existing 手机号已登记"
        "（只计签到，不返回令牌，不保存密码）",
    )
    token: str | None = Field(None, description="新登记劳动者的接口令牌；已登记的手机号为 null")
    expires_in: int | None = None
    worker: WorkerOut
    checkin: CheckinOut
    pin_set: bool
    pin_ignored: bool = Field(..., description="填写了密码但未保存（手机号已登记）")
    station_visits_today: int


class VisitOut(Schema):
    id: int
    station_id: int
    station_name: str
    occurred_at: dt.datetime
    services: list[str]
    source: str


class PosterOut(Schema):
    station_id: int
    version: int = Field(..., description="海报版本；重新生成后旧版本的二维码全部失效")
    code: str = Field(..., description="签到码（二维码中的 /s/<code>/）")
    path: str
    url: str = Field(..., description="二维码内容：完整的签到地址")
