"""Demo history for the county screen: about fourteen months of each demo county's
business, so that every chart has something to show: households and sourcing lots,
grading, packing runs and trace codes, paid orders from buyers across China (shipped,
delivered, some refunded or cancelled), scans of the shipped codes (a few suspicious),
weekly live broadcasts with their sales, the regional brands' licences, label use and
violations, and one county official per county.

It writes the raw records in bulk (as a data migration would, not through the services),
then rebuilds the rollups from them. Idempotent: a second run adds nothing and only
rebuilds. Call ``load_demo_statistics()`` after the demo catalogue is loaded, or run
``manage.py load_demo_statistics``."""

from __future__ import annotations

import base64
import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from brand.models import LabelUse, Licence, LicenceEvent, RegionalBrand, Violation
from catalog.models import Pavilion, Product, ProductVariantChannelListing
from livestream.models import Broadcast, Host, LineupItem, Venue
from shop.models import (
    Address,
    Channel,
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderEvent,
    OrderLine,
    Organization,
    Payment,
    Refund,
    User,
)
from supplychain.models import (
    Disposition,
    GradedLot,
    GradeStandard,
    GradingInput,
    GradingRecord,
    Household,
    PackingRun,
    Scan,
    ShippedCode,
    SourcingLot,
    TraceCode,
)

from . import services, signals
from .models import CountyOfficial

DEMO_BUYER = "buyer@stats.pavilion.demo"
DEMO_PASSWORD = "pavilion-demo"
EMAIL_DOMAIN = "pavilion.demo"
CENT = Decimal("0.01")

# Where buyers live (province as addresses hold it, weight, a city).
PROVINCES = [
    ("河南省", 14, "郑州市"), ("北京市", 9, "北京市"), ("上海市", 9, "上海市"),
    ("广东省", 10, "广州市"), ("浙江省", 8, "杭州市"), ("江苏省", 8, "南京市"),
    ("山东省", 6, "济南市"), ("四川省", 5, "成都市"), ("陕西省", 6, "西安市"),
    ("山西省", 5, "太原市"), ("湖北省", 4, "武汉市"), ("青海省", 3, "西宁市"),
    ("天津市", 3, "天津市"), ("河北省", 3, "石家庄市"), ("福建省", 3, "福州市"),
    ("湖南省", 3, "长沙市"), ("辽宁省", 2, "沈阳市"), ("重庆市", 3, "重庆市"),
    ("安徽省", 2, "合肥市"), ("云南省", 1, "昆明市"), ("新疆维吾尔自治区", 1, "乌鲁木齐市"),
    ("内蒙古自治区", 1, "呼和浩特市"), ("广西壮族自治区", 1, "南宁市"), ("黑龙江省", 1, "哈尔滨市"),
]
CARRIERS = [("中国邮政", 4), ("顺丰速运", 3), ("京东物流", 2), ("中通快递", 2)]
FAMILY_NAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ["建国", "秀兰", "国强", "桂英", "志刚", "玉梅", "春生", "淑珍", "德明", "海燕",
               "长青", "红霞"]
VILLAGES = ["东坡村", "西沟村", "南岭村", "北庄村", "河湾村", "石门村", "柳树村", "青山村"]
GRADES = [("特级", "外观完整、色泽一致、无瑕疵"), ("一级", "外观完整、轻微色差")]
HOST_NAMES = ["小柿子", "山货哥", "乡村小李", "农家妹", "土特产老张", "阿牛", "小米姐", "蜂蜜小王"]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)),
                               timezone.get_default_timezone())


def _weighted(rng: random.Random, items):
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


def _code(rng: random.Random) -> str:
    return base64.b32encode(rng.getrandbits(80).to_bytes(10, "big")).decode("ascii")


def _numbers(count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('shop_order_number_seq') FROM generate_series(1, %s)",
                       [count])
        return [row[0] for row in cursor.fetchall()]


class History:
    """One county's demo history, written in bulk."""

    def __init__(self, rng, pavilion, channel, start, today, password):
        self.rng, self.pavilion, self.channel = rng, pavilion, channel
        self.start, self.today, self.password = start, today, password
        self.sellers = list(Organization.objects.filter(
            county=pavilion.county, kind__in=[Organization.Kind.COOPERATIVE,
                                              Organization.Kind.ENTERPRISE]).order_by("pk"))
        prices = {row.variant_id: row.price_amount for row in
                  ProductVariantChannelListing.objects.filter(
                      channel=channel, variant__product__pavilion=pavilion)}
        self.variants = []
        for product in Product.objects.filter(pavilion=pavilion).prefetch_related("variants"):
            for variant in product.variants.all():
                if variant.pk in prices and prices[variant.pk]:
                    self.variants.append((product, variant, prices[variant.pk]))
        self.codes: dict[int, list[TraceCode]] = {}
        self.runs: list[int] = []

    # Supply chain ------------------------------------------------------------------------

    def households(self) -> dict[int, list[Household]]:
        out = {}
        for org in self.sellers:
            rows = [Household(organization=org,
                              head_name=self.rng.choice(FAMILY_NAMES) + self.rng.choice(
                                  GIVEN_NAMES),
                              village=self.rng.choice(VILLAGES), township=org.address[-4:],
                              is_poverty_registered=i % 3 == 0) for i in range(6)]
            out[org.pk] = Household.objects.bulk_create(rows)
            Household.objects.filter(pk__in=[h.pk for h in out[org.pk]]).update(
                created_at=_local(self.start - timedelta(days=self.rng.randint(0, 300)), 9))
        return out

    def supply(self, households):
        """Each month, each product: a lot bought from a household, graded, and packed
        into trace-coded packages."""
        grades = {}
        for product, _variant, _price in self.variants:
            if product.pk not in grades:
                grades[product.pk] = [
                    GradeStandard.objects.get_or_create(product=product, name=name, defaults={
                        "rank": rank, "criteria": criteria})[0]
                    for rank, (name, criteria) in enumerate(GRADES, start=1)]
        month = self.start.replace(day=1)
        runs, serial_codes = [], []
        while month <= self.today:
            for index, (product, variant, _price) in enumerate(self.variants):
                org = product.organization
                day = min(month + timedelta(days=self.rng.randint(0, 20)), self.today)
                received = _local(day, 9, index % 60)
                kg = Decimal(self.rng.randint(80, 400))
                unit = _money(Decimal(self.rng.randint(600, 3000)) / 100)
                lot = SourcingLot.objects.create(
                    organization=org, product=product,
                    lot_number=f"S{day:%Y%m}{variant.pk:04d}{index:02d}",
                    household=self.rng.choice(households.get(org.pk) or [None]) if
                    households.get(org.pk) else None,
                    base=None, harvested_on=day - timedelta(days=3), received_at=received,
                    quantity_kg=kg, unit_price=unit, amount=_money(kg * unit))
                if lot.household_id is None:
                    continue
                record = GradingRecord.objects.create(organization=org,
                                                      graded_at=received + timedelta(hours=6),
                                                      loss_kg=_money(kg / 10))
                GradingInput.objects.create(record=record, sourcing_lot=lot, quantity_kg=kg)
                grade = grades[product.pk][self.rng.random() < 0.4]
                graded = GradedLot.objects.create(
                    organization=org, record=record, grade=grade, quantity_kg=_money(kg * 9 / 10),
                    lot_number=f"G{day:%Y%m}{variant.pk:04d}{index:02d}")
                quantity = self.rng.randint(40, 90)
                run = PackingRun(organization=org, graded_lot=graded, variant=variant,
                                 warehouse=org.warehouses.first(), quantity=quantity,
                                 net_weight_kg=Decimal("0.5"),
                                 packed_at=received + timedelta(days=1))
                runs.append(run)
                serial_codes.append(quantity)
            month = (month + timedelta(days=32)).replace(day=1)
        PackingRun.objects.bulk_create(runs)
        self.runs = [run.pk for run in runs]
        codes = []
        for run, quantity in zip(runs, serial_codes, strict=True):
            codes.extend(TraceCode(code=_code(self.rng), packing_run=run, serial=serial,
                                   issued_at=run.packed_at) for serial in range(1, quantity + 1))
        TraceCode.objects.bulk_create(codes, batch_size=2000)
        for code in codes:
            self.codes.setdefault(code.packing_run.variant_id, []).append(code)

    # Orders ------------------------------------------------------------------------------

    def orders(self, broadcasts):
        """Paid orders day by day (more around 双十一 and the New Year), plus the sales of
        each broadcast during its window."""
        plans = []
        day = self.start
        while day <= self.today:
            age = (self.today - day).days
            season = 2.2 if (day.month == 11 and 8 <= day.day <= 14) or (
                day.month == 1 and day.day >= 10) else 1.0
            mean = (1.2 + (1 - age / 430) * 2.0) * season
            for _ in range(max(0, int(self.rng.gauss(mean, 1.0) + 0.5))):
                plans.append((_local(day, self.rng.randint(8, 22), self.rng.randint(0, 59)),
                              None))
            day += timedelta(days=1)
        for broadcast, lineup in broadcasts:
            for _ in range(self.rng.randint(6, 18)):
                moment = broadcast.started_at + timedelta(
                    minutes=self.rng.randint(5, 110))
                plans.append((moment, (broadcast, lineup)))
        plans.sort(key=lambda plan: plan[0])
        numbers = _numbers(len(plans))
        addresses, orders, lines_of = [], [], []
        now = timezone.now()
        for number, (placed, live) in zip(numbers, plans, strict=True):
            province, _weight, city = self.rng.choices(
                PROVINCES, weights=[p[1] for p in PROVINCES])[0]
            addresses.append(Address(first_name=self.rng.choice(GIVEN_NAMES),
                                     last_name=self.rng.choice(FAMILY_NAMES),
                                     street_address_1="幸福路 8 号", city=city,
                                     country_area=province, phone="13800000000"))
            picks = []
            if live:
                broadcast, lineup = live
                item = self.rng.choice(lineup)
                picks.append((item.variant, item.live_price_amount, self.rng.randint(1, 2),
                              broadcast))
            else:
                for _ in range(1 if self.rng.random() < 0.75 else 2):
                    product, variant, price = self.rng.choice(self.variants)
                    picks.append((variant, price, self.rng.randint(1, 3), None))
            subtotal = sum((_money(price * qty) for _v, price, qty, _b in picks), Decimal(0))
            shipping = Decimal("0.00") if subtotal >= 99 else Decimal("8.00")
            paid = placed + timedelta(minutes=self.rng.randint(1, 15))
            age = now - paid
            roll = self.rng.random()
            if age < timedelta(hours=12):
                status = Order.Status.PAID
            elif roll < 0.03:
                status = Order.Status.REFUNDED
            elif roll < 0.05:
                status = Order.Status.CANCELLED
            elif age < timedelta(days=4):
                status = Order.Status.SHIPPED
            else:
                status = Order.Status.DELIVERED
            total = subtotal + shipping
            orders.append(Order(
                number=number, channel=self.channel, user_email=DEMO_BUYER, status=status,
                shipping_method_name="中国邮政", subtotal_amount=subtotal,
                shipping_price_amount=shipping, total_amount=total, total_charged_amount=total,
                total_refunded_amount=total if status in (Order.Status.REFUNDED,
                                                          Order.Status.CANCELLED) else 0,
                created_at=placed, paid_at=paid))
            lines_of.append(picks)
        Address.objects.bulk_create(addresses, batch_size=2000)
        for order, address in zip(orders, addresses, strict=True):
            order.shipping_address = address
        Order.objects.bulk_create(orders, batch_size=2000)
        self._order_details(orders, lines_of)

    def _order_details(self, orders, lines_of):
        lines, payments, events = [], [], []
        for order, picks in zip(orders, lines_of, strict=True):
            for variant, price, qty, broadcast in picks:
                product = variant.product
                lines.append(OrderLine(
                    order=order, variant=variant, organization_id=product.organization_id,
                    product_name=product.name, variant_name=variant.name,
                    product_sku=variant.sku, quantity=qty, unit_price_amount=price,
                    undiscounted_unit_price_amount=price, total_price_amount=_money(price * qty),
                    source="broadcast" if broadcast else "",
                    source_ref=str(broadcast.pk) if broadcast else ""))
            payments.append(Payment(order=order, out_trade_no=f"D{order.number}",
                                    psp_reference=f"2026{order.number}",
                                    status=Payment.Status.REFUNDED if order.total_refunded_amount
                                    else Payment.Status.CHARGED, amount=order.total_amount,
                                    charged_amount=order.total_amount,
                                    refunded_amount=order.total_refunded_amount,
                                    created_at=order.created_at, charged_at=order.paid_at))
            events.append(OrderEvent(order=order, type=OrderEvent.Type.PLACED,
                                     date=order.created_at))
            events.append(OrderEvent(order=order, type=OrderEvent.Type.PAID, date=order.paid_at))
        OrderLine.objects.bulk_create(lines, batch_size=2000)
        Payment.objects.bulk_create(payments, batch_size=2000)
        by_order: dict[int, list[OrderLine]] = {}
        for line in lines:
            by_order.setdefault(line.order_id, []).append(line)
        refunds, fulfilments, shipped = [], [], []
        for order, payment in zip(orders, payments, strict=True):
            if order.status in (Order.Status.REFUNDED, Order.Status.CANCELLED):
                moment = order.paid_at + timedelta(hours=self.rng.randint(2, 40))
                if order.status == Order.Status.CANCELLED:
                    events.append(OrderEvent(order=order, type=OrderEvent.Type.CANCELLED,
                                             date=moment, message="买家取消"))
                events.append(OrderEvent(order=order, type=OrderEvent.Type.REFUNDED,
                                         date=moment, message="退款"))
                refunds.append(Refund(payment=payment, order=order,
                                      out_request_no=f"R{order.number}",
                                      amount=order.total_refunded_amount, reason="买家申请退款",
                                      status=Refund.Status.SUCCESS, created_at=moment))
            elif order.status in (Order.Status.SHIPPED, Order.Status.DELIVERED):
                # Most leave within a day and a half; some after the 48 hours promised.
                hours = self.rng.choice([6, 10, 20, 26, 30, 40, 44, 52, 70])
                sent = order.paid_at + timedelta(hours=hours, minutes=self.rng.randint(0, 50))
                carrier = _weighted(self.rng, CARRIERS)
                org = by_order[order.pk][0].organization_id
                fulfilments.append((order, Fulfillment(
                    order=order, organization_id=org, carrier=carrier,
                    tracking_number=f"{order.number}{self.rng.randint(1000, 9999)}",
                    status=Fulfillment.Status.DELIVERED if order.status ==
                    Order.Status.DELIVERED else Fulfillment.Status.FULFILLED,
                    created_at=sent)))
                events.append(OrderEvent(order=order, type=OrderEvent.Type.SHIPPED, date=sent))
                if order.status == Order.Status.DELIVERED:
                    events.append(OrderEvent(order=order, type=OrderEvent.Type.DELIVERED,
                                             date=sent + timedelta(hours=self.rng.randint(
                                                 30, 100))))
        Refund.objects.bulk_create(refunds, batch_size=2000)
        OrderEvent.objects.bulk_create(events, batch_size=5000)
        Fulfillment.objects.bulk_create([f for _o, f in fulfilments], batch_size=2000)
        fulfilment_lines, used = [], []
        for order, fulfilment in fulfilments:
            for line in by_order[order.pk]:
                fulfilment_lines.append(FulfillmentLine(fulfillment=fulfilment, order_line=line,
                                                        quantity=line.quantity))
                line.quantity_fulfilled = line.quantity
                pool = [c for c in self.codes.get(line.variant_id, [])[:40]
                        if c.packing_run.packed_at < fulfilment.created_at]
                for code in pool[:line.quantity]:
                    self.codes[line.variant_id].remove(code)
                    code.shipped_at = fulfilment.created_at
                    code.disposition = Disposition.RETAIL_SOLD if order.status == \
                        Order.Status.DELIVERED else Disposition.IN_TRANSIT
                    shipped.append(ShippedCode(trace_code=code, order_line=line,
                                               shipped_at=fulfilment.created_at))
                    used.append(code)
        FulfillmentLine.objects.bulk_create(fulfilment_lines, batch_size=2000)
        OrderLine.objects.bulk_update([line for line in lines if line.quantity_fulfilled],
                                      ["quantity_fulfilled"], batch_size=2000)
        ShippedCode.objects.bulk_create(shipped, batch_size=2000)
        self._scans(used)
        self._keep_only_shipped_codes()

    def _keep_only_shipped_codes(self):
        """The history's packing runs put nothing in stock (the shop's stock is the demo
        catalogue's), so a code of theirs never shipped would be a package that exists
        nowhere: a traced product would show thousands of codes for the few hundred units
        it has. Such codes are dropped, each run keeps the packages that shipped, and a
        run none of whose packages shipped is dropped with them."""
        leftover = [code.pk for codes in self.codes.values() for code in codes]
        for start in range(0, len(leftover), 5000):
            TraceCode.objects.filter(pk__in=leftover[start:start + 5000]).delete()
        self.codes = {}
        runs = PackingRun.objects.filter(pk__in=self.runs)
        runs.filter(trace_codes__isnull=True).delete()
        runs.update(quantity=Subquery(
            TraceCode.objects.filter(packing_run=OuterRef("pk")).values("packing_run")
            .annotate(n=Count("pk")).values("n")))

    def _scans(self, codes):
        """Most buyers scan their package once or twice after it arrives; a few codes are
        scanned far too often, and a few codes that were never issued are tried."""
        scans, now = [], timezone.now()
        for code in codes:
            if self.rng.random() > 0.65:
                continue
            count = self.rng.choice([1, 1, 1, 2, 2, 3] + ([25] if self.rng.random() < 0.02
                                                          else []))
            moments = sorted(min(code.shipped_at + timedelta(hours=self.rng.randint(30, 400)),
                                 now - timedelta(minutes=5)) for _ in range(count))
            for index, moment in enumerate(moments, start=1):
                scans.append(Scan(trace_code=code, code_text=code.code, scanned_at=moment,
                                  source=Scan.Source.PAGE, network="10.0.0.0/24",
                                  too_many=index > 20, is_flagged=index > 20))
            code.scan_count, code.first_scanned_at, code.last_scanned_at = (
                count, moments[0], moments[-1])
        day = self.start
        while day <= self.today:
            scans.append(Scan(code_text="FAKE" + _code(self.rng)[:12],
                              scanned_at=_local(day, 20), source=Scan.Source.PAGE,
                              never_issued=True, is_flagged=True))
            day += timedelta(days=self.rng.randint(9, 25))
        Scan.objects.bulk_create(scans, batch_size=5000)
        TraceCode.objects.bulk_update(codes, ["shipped_at", "disposition", "scan_count",
                                              "first_scanned_at", "last_scanned_at"],
                                      batch_size=2000)

    # Live broadcasts ------------------------------------------------------------------

    def broadcasts(self) -> list[tuple[Broadcast, list[LineupItem]]]:
        """A broadcast most weeks (a few weeks missed), hosts taking turns."""
        hosts = []
        count = 5 if self.pavilion.slug in ("mianchi", "zeku") else 3
        for index in range(count):
            email = f"host-{self.pavilion.slug}-{index + 1}@{EMAIL_DOMAIN}"
            user = User.objects.filter(email=email).first() or User.objects.create(
                email=email, password=self.password, last_name=HOST_NAMES[index][:1],
                first_name=HOST_NAMES[index][1:])
            host = Host.objects.filter(user=user).first() or Host.objects.create(
                user=user, organization=self.sellers[index % len(self.sellers)],
                display_name=f"{HOST_NAMES[(index + len(self.pavilion.slug)) % 8]}",
                birth_date=date(1990 + index, 3, 1), real_name_verified=True,
                platforms=["douyin", "pavilion"])
            hosts.append(host)
        venue = Venue.objects.get_or_create(
            name=f"{self.pavilion.county}电商中心直播间（历史）",
            defaults={"kind": "studio", "address": f"{self.pavilion.county}电子商务公共服务中心",
                      "organization": self.sellers[0]})[0]
        out = []
        week = self.start - timedelta(days=self.start.weekday())
        index = 0
        while week + timedelta(days=8) < self.today:
            if self.rng.random() < 0.12:  # a missed week
                week += timedelta(days=7)
                continue
            day = week + timedelta(days=self.rng.choice([2, 4, 5]))
            starts = _local(day, 19, 30)
            host = hosts[index % len(hosts)]
            index += 1
            broadcast = Broadcast.objects.create(
                title=f"{self.pavilion.county}好物直播第{index}期", host=host, venue=venue,
                channel=self.channel, platform="douyin", starts_at=starts,
                ends_at=starts + timedelta(hours=2), status=Broadcast.Status.REVIEWED,
                started_at=starts, ended_at=starts + timedelta(hours=2),
                viewer_count=self.rng.randint(300, 4000))
            lineup = []
            for position, (_product, variant, price) in enumerate(
                    self.rng.sample(self.variants, min(3, len(self.variants)))):
                lineup.append(LineupItem.objects.create(
                    broadcast=broadcast, variant=variant, position=position,
                    live_price_amount=_money(price * Decimal("0.85")),
                    regular_price_amount=price))
            out.append((broadcast, lineup))
            week += timedelta(days=7)
        return out

    # The regional brand ---------------------------------------------------------------

    def brand(self):
        authority = Organization.objects.filter(county=self.pavilion.county,
                                                kind=Organization.Kind.BRAND_AUTHORITY).first()
        if authority is None:
            return
        brand = RegionalBrand.objects.filter(pavilion=self.pavilion).first()
        if brand is None:
            brand = RegionalBrand.objects.create(
                name=self.pavilion.regional_brand_name or self.pavilion.name,
                slug=f"{self.pavilion.slug}-brand", code=self.pavilion.slug[:3].upper(),
                county=self.pavilion.county, authority=authority, pavilion=self.pavilion)
        for index, org in enumerate(self.sellers):
            if Licence.objects.filter(brand=brand, licensee=org).exists():
                continue
            # Granted within the history (a short one included), never after today.
            granted = self.start + timedelta(days=self.rng.randint(
                0, min(200, (self.today - self.start).days)))
            valid_until = granted + timedelta(days=3 * 365)
            if index == 0:
                valid_until = self.today + timedelta(days=self.rng.randint(20, 55))
            licence = Licence.objects.create(
                number=f"{brand.code}-{granted.year}-{org.pk:04d}", brand=brand, licensee=org,
                valid_from=granted, valid_until=valid_until, annual_label_quota=5000,
                granted_at=_local(granted, 10))
            LicenceEvent.objects.create(licence=licence, type=LicenceEvent.Type.GRANTED,
                                        date=_local(granted, 10), message="公示期满无异议")
            month = granted.replace(day=1)
            uses = []
            while month <= self.today:
                uses.append(LabelUse(licence=licence, year=month.year,
                                     count=self.rng.randint(80, 400),
                                     reference=f"demo-{licence.number}-{month:%Y%m}",
                                     created_at=_local(month + timedelta(days=5), 11)))
                month = (month + timedelta(days=32)).replace(day=1)
            LabelUse.objects.bulk_create(uses)
            if index == 2:
                found = self.today - timedelta(days=self.rng.randint(20, 120))
                Violation.objects.create(licence=licence, source="patrol",
                                         description="包装未按规范使用品牌标识",
                                         action="warning", found_on=found)
                LicenceEvent.objects.create(licence=licence, type=LicenceEvent.Type.SUSPENDED,
                                            date=_local(found + timedelta(days=3), 15),
                                            message="限期整改")
                Licence.objects.filter(pk=licence.pk).update(status=Licence.Status.SUSPENDED)

    def official(self):
        email = f"official-{self.pavilion.slug}@{EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first() or User.objects.create(
            email=email, password=self.password, last_name=self.pavilion.county,
            first_name="管理员")
        CountyOfficial.objects.get_or_create(user=user, defaults={
            "pavilion": self.pavilion, "title": "县电子商务进农村综合示范工作领导小组办公室"})
        return user


def load_demo_statistics(months: int = 14, seed: int = 2026, stdout=None) -> dict:
    """Load the demo history once, then rebuild the rollups. Returns what was done."""
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    channel = Channel.objects.filter(slug="default").first()
    done = {"counties": 0, "orders": 0, "officials": 0}
    if channel is None:
        return done
    password = make_password(DEMO_PASSWORD)
    loaded = Order.objects.filter(user_email=DEMO_BUYER).exists()
    with signals.paused(), transaction.atomic():
        for index, pavilion in enumerate(Pavilion.objects.order_by("sort_order", "slug")):
            history = History(random.Random(seed + index), pavilion, channel, start, today,
                              password)
            history.official()
            done["officials"] += 1
            if loaded or not history.variants or not history.sellers:
                continue
            households = history.households()
            history.supply(households)
            broadcasts = history.broadcasts()
            history.orders(broadcasts)
            history.brand()
            done["counties"] += 1
    done["orders"] = Order.objects.filter(user_email=DEMO_BUYER).count()
    done["days"] = services.rebuild()
    if stdout is not None:
        stdout.write(f"Demo statistics: {done['counties']} counties loaded, "
                     f"{done['orders']} demo orders, {done['officials']} county officials, "
                     f"{done['days']} days of rollups.")
    return done
