"""泽库 in Tibetan (藏汉双语): the pavilion's name, slogan and story, its products' names,
short descriptions and graded variants, its production bases' names and places, and the
names of the attributes its products show (with the grades' values), as ``bo``
translation records. The shop shows them to shoppers who chose བོད་ཡིག (Chinese where
a record is missing), the API serves them as ``translation(languageCode: BO)``, and the
label sheets print the products' Tibetan names.

Translated by the developers, not by a native speaker: to be reviewed by a Tibetan
speaker from 泽库 (Amdo) before the pavilion opens. Terms used throughout: 牦牛 གཡག,
藏羊 བོད་ལུག, 泽库 རྩེ་ཁོག, 特色馆 ཁྱད་ཆོས་ཚོང་ཁང་, 基地 ཐོན་སྐྱེད་གཞི་ཁུལ."""

from __future__ import annotations

from catalog.models import Attribute, AttributeValue, Pavilion, Product
from content.models import (
    AttributeTranslation,
    AttributeValueTranslation,
    BaseTranslation,
    PavilionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)
from supplychain.models import Base

PAVILION = {
    "slug": "zeku",
    "name": "རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།",
    "slogan": "མཐོ་སྒང་གཤིས་རྒྱུན། འབྲོག་ས་ནས་ཐད་ཀར་མཁོ་སྤྲོད།",
    "story": (
        "རྩེ་ཁོག་རྫོང་ནི་མཚོ་སྔོན་ཞིང་ཆེན་རྨ་ལྷོ་བོད་རིགས་རང་སྐྱོང་ཁུལ་དུ་ཡོད། རྫོང་འདི་ནི་རྒྱལ་ཡོངས་ཀྱི་"
        "གཤིས་རྒྱུན་ཞིང་འབྲོག་དཔེ་སྟོན་རྫོང་དང་རྩྭ་ཐང་སྐྱེ་ཁམས་ཕྱུགས་འཚོ་ཚོད་ལྟའི་རྫོང་ཡིན། "
        "\"རྩེ་ཁོག་གཡག\" དང་ \"རྩེ་ཁོག་བོད་ལུག\" ས་ཁུལ་ཚོང་རྟགས་དང་ \"ལ་སྒར་རིའི་དཔེ་གཞི\" ལ་བརྟེན་ནས་"
        "སྐྱེ་ཁམས་གཤིས་རྒྱུན་ཕྱུགས་འཚོ་འཕེལ་རྒྱས་གཏོང་བཞིན་ཡོད། ཐོན་ལས་ཁྱབ་ཁུལ་གྱི་གཡག་བརྒྱ་ཆ་"
        "བརྒྱད་ཅུ་ལྷག་ལ་གཤིས་རྒྱུན་ར་སྤྲོད་ཐོབ་ཡོད། གྲོ་མ་དང་ཤ་མོ་སེར་པོ་སོགས་མཐོ་སྒང་གི་ཁྱད་ཐོན་"
        "སྤུས་ཚད་ལེགས་ཤིང་ཞིང་ཆེན་ནང་ཕྱི་གཉིས་ཀྱི་ཚོང་ར་ནས་དགའ་བསུ་ཞུ་བཞིན་ཡོད།"
    ),
}

# slug: (name, short description)
PRODUCTS = {
    "zeku-yak-jerky": (
        "རྩེ་ཁོག་གཡག་ཤ་སྐམ།",
        "གཤིས་རྒྱུན་ར་སྤྲོད་ཐོབ་པའི་རྩེ་ཁོག་གཡག་གི་རྐང་ཤ་རླུང་ལ་བསྐམས་པ། ཚྭ་ཉུང་ཞིང་ཤ་དམ་ལ་ཞིམ།"),
    "zeku-yak-meat": (
        "རྩེ་ཁོག་གཡག་ཤ།",
        "རྩེ་ཁོག་མཐོ་སྒང་གཤིས་རྒྱུན་འབྲོག་སར་གསོས་པའི་གཡག་ཤ་དུམ་བུར་བཅད་ནས་འཁྱག་ཏུ་བཅུག་སྟེ་"
        "གྲང་རྒྱུད་ཐོག་སྐུར་གཏོང་བྱེད།"),
    "zeku-yak-shank": (
        "རྩེ་ཁོག་གཡག་གི་རྐང་ཤ།",
        "གཡག་གི་མདུན་རྐང་གི་ཤ། རྒྱུས་པ་དང་ཤ་འདྲེས་ཡོད་པས་ཚོས་སྐོལ་དང་ཚོད་མ་ལ་འོས།"),
    "zeku-tibetan-lamb-ribs": (
        "རྩེ་ཁོག་བོད་ལུག་གི་རྩིབ་ཤ།",
        "\"རྩེ་ཁོག་བོད་ལུག\" ས་ཁུལ་ཚོང་རྟགས་ཀྱི་རྩིབ་ཤ། མཐོ་སྒང་དུ་འཚོ་བའི་ལུག་ཤ་འཇམ་ཞིང་དྲི་ངན་མེད།"),
    "zeku-tibetan-mutton-rolls": (
        "རྩེ་ཁོག་བོད་ལུག་ཤ་སྒྲིལ།",
        "བོད་ལུག་གི་དཔུང་ཤ་དང་རྐང་ཤ་སྒྲིལ་ནས་ལེབ་མོར་བཅད་པ། ཧོ་གོར་ལ་འོས།"),
    "zeku-mutton-gift-box": (
        "རྩེ་ཁོག་བོད་ལུག་ཤའི་ལེགས་སྐྱེས་སྒམ།",
        "ལུག་གི་རྩིབ་ཤ་དང་རྐང་ཤ། སྒལ་ཚིགས་བཅས་ཚང་བའི་ལེགས་སྐྱེས་སྒམ། གྲང་རྒྱུད་ཐོག་སྐྱེལ་འདྲེན།"),
    "zeku-juema": (
        "རྩེ་ཁོག་གྲོ་མ།",
        "མཐོ་སྒང་རྩྭ་ཐང་གི་རང་བྱུང་གྲོ་མ། ཆེ་ཆུང་སྙོམས་ཤིང་ཐུག་པ་དང་གྲོ་མ་འབྲས་ཆན་བཟོ་ཆོག"),
    "zeku-yellow-mushroom": (
        "རྩེ་ཁོག་ཤ་མོ་སེར་པོ།",
        "དབྱར་དུས་ཆར་རྗེས་མཐོ་སྒང་རྩྭ་ཐང་ནས་བཏུས་པའི་རང་བྱུང་ཤ་མོ་སེར་པོ། བསྐམས་རྗེས་དྲི་ཞིམ།"),
    "zeku-highland-barley": (
        "རྩེ་ཁོག་ནས་འབྲས།",
        "མཐོ་སྒང་དུ་བཏབ་པའི་ནས་ཀྱི་ཤུན་པ་བཤུས་ནས་འབྲས་སུ་བཟོས་པ། འབྲས་དང་མཉམ་དུ་སྐོལ་ཆོག"),
    "zeku-yak-yogurt": (
        "རྩེ་ཁོག་འབྲི་ཞོ།",
        "འབྲི་འོ་སོས་མ་སྲོལ་རྒྱུན་ལྟར་བསྐྱུར་བ། ཞོ་སྤྲིས་མཐུག་ཅིང་སྐྱུར་རོ་ཞིམ། གྲང་རྒྱུད་ཐོག་སྐུར་གཏོང་།"),
}

# Variant names begin with their grade ("特级 1kg"): the grade in Tibetan, the rest as is.
GRADES = {"特级": "ཁྱད་རིམ།", "一级": "རིམ་པ་དང་པོ།"}

# The bases the demo's traced 泽库 products come from, by their Chinese name: (name, place).
BASES = {
    "宁秀村基地": ("ཉིན་ཞོལ་སྡེ་བའི་ཐོན་སྐྱེད་གཞི་ཁུལ།", "རྩེ་ཁོག་རྫོང་ཉིན་ཞོལ་ཞང་ཉིན་ཞོལ་སྡེ་བ།"),
}


# The attributes 泽库's products show (every product type's), by slug.
ATTRIBUTES = {
    "grade": "རིམ་པ།",
    "net-weight": "ལྗིད་ཚད་གཙང་མ།",
    "size": "ཚད།",
    "origin": "ཐོན་ས།",
    "material": "རྒྱུ་ཆ།",
    "storage": "ཉར་ཚགས་ཐབས།",
    "shelf-life": "ཉར་ཚགས་དུས་ཡུན།",
}


def _keep(model, lookup: dict, values: dict):
    model.objects.update_or_create(**lookup, language_code="bo", defaults=values)


def load_tibetan() -> int:
    """Write the ``bo`` records (again: a second run leaves the same rows); returns how
    many objects have Tibetan text."""
    count = 0
    pavilion = Pavilion.objects.filter(slug=PAVILION["slug"]).first()
    if pavilion is not None:
        _keep(PavilionTranslation, {"pavilion": pavilion},
              {key: PAVILION[key] for key in ("name", "slogan", "story")})
        count += 1
    for product in Product.objects.filter(slug__in=PRODUCTS).prefetch_related("variants"):
        name, description = PRODUCTS[product.slug]
        _keep(ProductTranslation, {"product": product}, {"name": name,
                                                        "description": description})
        count += 1
        for variant in product.variants.all():
            grade, _space, rest = variant.name.partition(" ")
            if grade in GRADES:
                _keep(ProductVariantTranslation, {"product_variant": variant},
                      {"name": f"{GRADES[grade]} {rest}".strip()})
                count += 1
    for base in Base.objects.filter(name__in=BASES, organization__products__pavilion=pavilion
                                    ).distinct():
        name, location = BASES[base.name]
        _keep(BaseTranslation, {"base": base}, {"name": name, "location": location})
        count += 1
    return count


def load_tibetan_attributes() -> int:
    """The attributes' names (shared by every pavilion's products) and the grades' values
    in Tibetan; returns how many records were written."""
    count = 0
    for attribute in Attribute.objects.filter(slug__in=ATTRIBUTES):
        _keep(AttributeTranslation, {"attribute": attribute}, {"name": ATTRIBUTES[attribute.slug]})
        count += 1
    for value in AttributeValue.objects.filter(attribute__slug="grade", name__in=GRADES):
        _keep(AttributeValueTranslation, {"attribute_value": value},
              {"name": GRADES[value.name]})
        count += 1
    return count
