"""The demo's pages, navigation, translations and promo codes (for Saleor clients): the
brand story and one 产地 story page per county pavilion, a main menu (categories,
collections, the story pages), English and Tibetan names for the catalogue's top level, and
two promo codes a live broadcast would announce. Loaded after the catalogue; running it
again leaves the same rows (the menu is rebuilt whole)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Attribute, AttributeValue, Category, Collection, Product
from content.models import (
    AttributeTranslation,
    AttributeValueTranslation,
    CategoryTranslation,
    CollectionTranslation,
    Menu,
    MenuItem,
    MenuItemTranslation,
    Page,
    PageTranslation,
    PageType,
    ProductTranslation,
)
from shop.vouchers import Voucher

from . import data

BRAND_STORY = (
    "特色馆汇集五个县的区域公用品牌特产：每件商品由县里的合作社和企业生产，经区域公用品牌"
    "授权，统一标识、统一定价，扫码即可追溯到地块与批次。\n"
    "买一件特产，就是和一个县的农户站在一起。"
)
BRAND_STORY_EN = (
    "The pavilion gathers the regional public-brand specialties of five counties: every item "
    "is made by a county cooperative or company, licensed under the county's brand, and "
    "traceable to its plot and batch with one scan.\n"
    "Buying one is standing with a county's farmers."
)

CATEGORY_NAMES = {
    "dried-fruit-nuts": ("Dried fruit & nuts", "ཤིང་ཏོག་སྐམ་པོ།"),
    "grain-oil": ("Grain & oil", "འབྲུ་དང་སྣུམ།"),
    "condiments": ("Condiments", "ཚ་བསྲེ།"),
    "herbs": ("Herbs", "སྨན་རྩི།"),
}
COLLECTION_NAMES = {
    "nianhuo-gift-boxes": "New Year gift boxes",
    "plateau-treasures": "Plateau treasures",
    "help-farmers": "Help the farmers",
    "new-arrivals": "New arrivals",
}
PRODUCT_NAMES = {
    "mianchi-dried-persimmon": ("Mianchi dried persimmons", "mianchi-dried-persimmons-en"),
    "mianchi-walnut": ("Mianchi thin-shell walnuts", "mianchi-walnuts-en"),
}
ATTRIBUTE_NAMES = {"grade": "Grade", "net-weight": "Net weight", "origin": "Origin"}
VALUE_NAMES = {("grade", "特级"): "Premium", ("grade", "一级"): "First grade"}

VOUCHERS = [
    # code, name, type, value, minimum spend, once per customer
    ("LIVE20", "直播间满100减20", Voucher.DiscountType.FIXED, "20.00", "100.00", True),
    ("NIANHUO10", "年货节九折", Voucher.DiscountType.PERCENTAGE, "10", None, False),
]


def _upsert(model, lookup, values):
    obj, _created = model.objects.update_or_create(**lookup, defaults=values)
    return obj


def load_pages():
    story_type = _upsert(PageType, {"slug": "story"}, {"name": "故事"})
    pages = {"brand-story": _upsert(Page, {"slug": "brand-story"}, {
        "page_type": story_type, "title": "品牌故事", "content": BRAND_STORY,
        "seo_title": "品牌故事 · 区域公用品牌特色馆", "seo_description": BRAND_STORY[:120]})}
    _upsert(PageTranslation, {"page": pages["brand-story"], "language_code": "en"}, {
        "title": "Our story", "slug": "our-story", "content": BRAND_STORY_EN,
        "seo_title": "Our story · County pavilion"})
    for spec in data.PAVILIONS:
        slug = f"origin-{spec['slug']}"
        pages[slug] = _upsert(Page, {"slug": slug}, {
            "page_type": story_type, "title": f"产地故事：{spec['county']}",
            "content": spec["story"], "seo_title": f"{spec['name']} · 产地故事",
            "seo_description": spec["story"][:120]})
    return pages


def _menu(slug, name):
    """The menu ``slug``, emptied: it is rebuilt whole, its order and nesting following the
    data; returns it and a function adding an item to it."""
    menu = _upsert(Menu, {"slug": slug}, {"name": name})
    menu.items.all().delete()

    def item(name, parent=None, order=0, **target):
        return MenuItem.objects.create(menu=menu, parent=parent, name=name, sort_order=order,
                                       **target)
    return menu, item


def load_menu(pages):
    menu, item = _menu("navbar", "主导航")

    shop = item("特产分类", order=0)
    for order, (slug, name, _description, _children) in enumerate(data.CATEGORIES[:4]):
        child = item(name, shop, order, category=Category.objects.get(slug=slug))
        MenuItemTranslation.objects.create(menu_item=child, language_code="en",
                                           name=CATEGORY_NAMES[slug][0])
    MenuItemTranslation.objects.create(menu_item=shop, language_code="en", name="Specialties")
    topics = item("专题", order=1)
    for order, slug in enumerate(COLLECTION_NAMES):
        item(Collection.objects.get(slug=slug).name, topics, order,
             collection=Collection.objects.get(slug=slug))
    story = item("品牌故事", order=2, page=pages["brand-story"])
    MenuItemTranslation.objects.create(menu_item=story, language_code="en", name="Our story")
    origins = item("产地故事", order=3)
    for order, spec in enumerate(data.PAVILIONS):
        item(spec["county"], origins, order, page=pages[f"origin-{spec['slug']}"])
    load_storefront_menus(pages)
    return menu


def load_storefront_menus(pages):
    """The two menus a Saleor storefront asks for besides ``navbar``: ``homepage`` (the
    topics its home page shows) and ``footer`` (the story pages under one heading)."""
    _home, item = _menu("homepage", "首页专题")
    for order, slug in enumerate(COLLECTION_NAMES):
        collection = Collection.objects.get(slug=slug)
        item(collection.name, order=order, collection=collection)
    _footer, item = _menu("footer", "页脚")
    about = item("关于特色馆", order=0)
    MenuItemTranslation.objects.create(menu_item=about, language_code="en",
                                       name="About the pavilion")
    story = item("品牌故事", about, 0, page=pages["brand-story"])
    MenuItemTranslation.objects.create(menu_item=story, language_code="en", name="Our story")
    for order, spec in enumerate(data.PAVILIONS, start=1):
        item(f"产地故事：{spec['county']}", about, order,
             page=pages[f"origin-{spec['slug']}"])


def load_translations():
    for slug, (english, tibetan) in CATEGORY_NAMES.items():
        category = Category.objects.get(slug=slug)
        _upsert(CategoryTranslation, {"category": category, "language_code": "en"},
                {"name": english, "slug": slugify(english), "seo_title": english})
        _upsert(CategoryTranslation, {"category": category, "language_code": "bo"},
                {"name": tibetan})
    for slug, english in COLLECTION_NAMES.items():
        _upsert(CollectionTranslation, {"collection": Collection.objects.get(slug=slug),
                                        "language_code": "en"},
                {"name": english, "slug": slugify(english)})
    for slug, (english, english_slug) in PRODUCT_NAMES.items():
        product = Product.objects.filter(slug=slug).first()
        if product is not None:
            _upsert(ProductTranslation, {"product": product, "language_code": "en"},
                    {"name": english, "slug": english_slug, "seo_title": english})
    for slug, english in ATTRIBUTE_NAMES.items():
        attribute = Attribute.objects.filter(slug=slug).first()
        if attribute is not None:
            _upsert(AttributeTranslation, {"attribute": attribute, "language_code": "en"},
                    {"name": english})
    for (attribute_slug, name), english in VALUE_NAMES.items():
        for value in AttributeValue.objects.filter(attribute__slug=attribute_slug, name=name):
            _upsert(AttributeValueTranslation, {"attribute_value": value,
                                                "language_code": "en"}, {"name": english})


def load_vouchers():
    now = timezone.now()
    for code, name, kind, value, minimum, once in VOUCHERS:
        voucher = Voucher.objects.filter(code=code).first()
        values = {"name": name, "discount_type": kind, "discount_value": Decimal(value),
                  "min_spent_amount": Decimal(minimum) if minimum else None,
                  "apply_once_per_customer": once, "is_active": True}
        if voucher is None:
            Voucher.objects.create(code=code, start_date=now - timedelta(days=1),
                                   end_date=now + timedelta(days=365), **values)
        else:
            Voucher.objects.filter(pk=voucher.pk).update(**values)


def load_content():
    pages = load_pages()
    load_menu(pages)
    load_translations()
    load_vouchers()
