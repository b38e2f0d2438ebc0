"""Demo data of the five seed counties: the tables ``load_demo_data`` loads.

Plain data only (no database access), so that it can be read, reviewed and tested on its
own. Products, prices and organisations are realistic but made up for the demo; the
stories and product names follow the counties' own e-commerce programme documents
(渑池, 息县, 襄垣, 宁陕, 泽库). Slugs are ASCII; SKUs are unique; prices are in CNY.
"""

from __future__ import annotations

DEMO_PASSWORD = "pavilion-demo"
OPERATOR_EMAIL = "operator@pavilion.demo"
EMAIL_DOMAIN = "pavilion.demo"

CHANNEL = {"slug": "default", "name": "特色馆", "currency_code": "CNY", "default_country": "CN"}

# Carriers of the default channel: a zone for the whole country and one for remote
# provinces, rates by first kilogram plus each further kilogram, free shipping thresholds.
SHIPPING_ZONES = [
    {"name": "全国", "is_default": True, "provinces": []},
    {"name": "偏远地区", "is_default": False,
     "provinces": ["新疆维吾尔自治区", "西藏自治区", "青海省", "内蒙古自治区"]},
]
SHIPPING_METHODS = [
    {"name": "中国邮政", "carrier": "ems", "description": "邮政包裹，乡镇可达",
     "free_shipping_threshold": "99.00", "min_delivery_days": 3, "max_delivery_days": 6,
     "rates": {"全国": ("8.00", "2.00"), "偏远地区": ("15.00", "6.00")}},
    {"name": "顺丰速运", "carrier": "sf", "description": "顺丰快递，冷链生鲜优先",
     "free_shipping_threshold": "199.00", "min_delivery_days": 1, "max_delivery_days": 3,
     "rates": {"全国": ("12.00", "5.00"), "偏远地区": ("22.00", "10.00")}},
]


def gs1(base: str) -> str:
    """``base`` (12 digits) plus its GS1 check digit: a valid GTIN-13."""
    assert len(base) == 12 and base.isdigit(), base
    digits = [int(d) for d in base.zfill(13)]  # same weighting as a 14-digit GTIN
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return base + str((10 - total % 10) % 10)


# Attributes and product types ------------------------------------------------------------

ATTRIBUTES = [
    # slug, name, unit, sort order
    ("grade", "等级", "", 1),
    ("net-weight", "净含量", "g/kg", 2),
    ("size", "规格", "", 3),
    ("origin", "产地", "", 10),
    ("material", "材质", "", 11),
    ("storage", "储存方式", "", 12),
    ("shelf-life", "保质期", "", 13),
]

PRODUCT_TYPES = [
    {
        "slug": "farm-produce",
        "name": "农产品",
        "product_attributes": ["origin", "storage", "shelf-life"],
        "variant_attributes": ["grade", "net-weight"],
        "weight": "1.000",
    },
    {
        "slug": "processed-food",
        "name": "加工食品",
        "product_attributes": ["origin", "storage", "shelf-life"],
        "variant_attributes": ["grade", "net-weight"],
        "weight": "1.000",
    },
    {
        "slug": "handicraft",
        "name": "手工制品",
        "product_attributes": ["origin", "material", "storage"],
        "variant_attributes": ["size"],
        "weight": "1.500",
    },
]

# Categories: two levels. (slug, name, description, [(slug, name), ...]) --------------------

CATEGORIES = [
    ("dried-fruit-nuts", "干果坚果", "柿饼、核桃等耐储存的干果与坚果。", [
        ("dried-persimmon", "柿饼"),
        ("walnut", "核桃"),
    ]),
    ("grain-oil", "粮油米面", "小米、大米、挂面、面粉与食用油。", [
        ("millet", "小米"),
        ("rice", "大米"),
        ("noodles", "挂面"),
        ("flour", "面粉"),
        ("coarse-grains", "杂粮"),
        ("edible-oil", "食用油"),
    ]),
    ("condiments", "调味品", "花椒、辣椒、醋等地方调味品。", [
        ("sichuan-pepper", "花椒"),
        ("chili", "辣椒"),
        ("vinegar", "醋"),
    ]),
    ("herbs", "中药材", "道地中药材与药食同源产品。", [
        ("danshen", "丹参"),
        ("pinellia", "半夏"),
    ]),
    ("bee-products", "蜂产品", "蜂蜜与巢蜜。", [
        ("honey", "蜂蜜"),
        ("comb-honey", "巢蜜"),
    ]),
    ("drinks", "酒水", "果酒与白酒。", [
        ("fruit-wine", "果酒"),
        ("baijiu", "白酒"),
    ]),
    ("mushrooms", "菌菇", "干制香菇、木耳与高原野生菌。", [
        ("shiitake", "香菇"),
        ("wood-ear", "木耳"),
        ("yellow-mushroom", "黄蘑菇"),
    ]),
    ("meat", "肉类", "高原有机牦牛肉、藏羊肉及其制品。", [
        ("yak-meat", "牦牛肉"),
        ("tibetan-mutton", "藏羊肉"),
    ]),
    ("fresh-fruit", "新鲜水果", "产地直发的时令水果。", [
        ("pitaya", "火龙果"),
    ]),
    ("eggs-dairy", "禽蛋乳品", "松花蛋、牦牛酸奶等。", [
        ("century-egg", "松花蛋"),
        ("yogurt", "酸奶"),
    ]),
    ("local-specialties", "特色土产", "蕨麻等地方特色土产。", [
        ("juema", "蕨麻"),
    ]),
    ("textiles-crafts", "纺织手工", "手工纺织的老粗布及其制品。", [
        ("handwoven-cloth", "老粗布"),
    ]),
]

# Pavilions ---------------------------------------------------------------------------------

PAVILIONS = [
    {
        "slug": "mianchi",
        "name": "渑池特色馆",
        "county": "渑池县",
        "province": "河南省",
        "city": "三门峡市",
        "regional_brand_name": "仰韶渑池",
        "slogan": "仰韶故里，渑池好物",
        "story": (
            "渑池县地处豫西，是仰韶文化的发现地和命名地。县里依托农民专业合作社、加工企业和"
            "流通企业打造农产品上行供应链，建立了柿饼、核桃、小米、花椒、辣椒、丹参等六个种类的"
            "公共品牌并注册商标。特色馆对区域公共品牌商品统一标识、统一授权、统一定价，"
            "每件商品都可扫码追溯。"
        ),
        "colors": ((196, 84, 40), (243, 178, 92)),
        "featured": ["help-farmers", "nianhuo-gift-boxes"],
    },
    {
        "slug": "xixian",
        "name": "息县特色馆",
        "county": "息县",
        "province": "河南省",
        "city": "信阳市",
        "regional_brand_name": "中国生态主食厨房",
        "slogan": "中国生态主食厨房，淮河源头好味道",
        "story": (
            "息县位于河南省东南部、淮河上游，是传统的粮食生产大县。县里以打造“中国生态主食厨房”"
            "为品牌引领，“息县香稻丸”“息半夏”获得原产地地理标志认证。按照“一乡一业、一村一品”"
            "的原则，香稻丸、息半夏、红心火龙果等地标型农特产品在特色馆集中展示销售。"
        ),
        "colors": ((46, 125, 50), (174, 213, 129)),
        "featured": ["ecological-staples"],
    },
    {
        "slug": "xiangyuan",
        "name": "襄垣特色馆",
        "county": "襄垣县",
        "province": "山西省",
        "city": "长治市",
        "regional_brand_name": "襄垣好物",
        "slogan": "一根挂面一匹布，手工襄垣有温度",
        "story": (
            "襄垣县地处山西省东南部，手工挂面和襄子老粗布是襄垣的两张名片。挂面用本地小麦"
            "手工和面、盘条、拉制、晾晒而成，老粗布沿用传统纺车与木织机纺织。县里以古韩镇乡村e镇"
            "为依托，打造以手工挂面、老粗布为代表的产业链供应链，统一产品分级与包装标准。"
        ),
        "colors": ((30, 70, 140), (140, 180, 225)),
        "featured": ["xiangyuan-handmade", "nianhuo-gift-boxes"],
    },
    {
        "slug": "ningshan",
        "name": "宁陕特色馆",
        "county": "宁陕县",
        "province": "陕西省",
        "city": "安康市",
        "regional_brand_name": "宁陕山珍",
        "slogan": "秦岭深处，山珍宁陕",
        "story": (
            "宁陕县地处秦岭南坡腹地，山清水秀，以“宁陕山珍”为代表的农林特产远近闻名。"
            "县里依托供销电子商务公司试点建设蜂蜜、果酒、香菇等物联网应用基地，"
            "经过检验检测的产品生成溯源认证二维码标签，统一供应线上销售。"
        ),
        "colors": ((27, 94, 32), (200, 160, 60)),
        "featured": ["qinling-treasures"],
    },
    {
        "slug": "zeku",
        "name": "泽库特色馆 རྩེ་ཁོག",
        "banner_title": "泽库特色馆",
        "county": "泽库县",
        "province": "青海省",
        "city": "黄南藏族自治州",
        "regional_brand_name": "泽库牦牛·泽库藏羊",
        "slogan": "高原有机，牧场直供",
        "story": (
            "泽库县位于青海省黄南藏族自治州，是全国有机农牧业示范县和全国草地生态畜牧业试验区"
            "试点县。县里依托“泽库牦牛”“泽库藏羊”地域品牌和“拉格日模式”发展生态有机畜牧业，"
            "产业园内八成以上的牦牛通过有机认证。蕨麻、黄蘑菇等高原特产质量上乘，"
            "深受省内外市场青睐。"
        ),
        "colors": ((21, 76, 121), (230, 200, 120)),
        "featured": ["plateau-treasures", "help-farmers"],
    },
]

# Organisations -----------------------------------------------------------------------------

OPERATOR_ORG = {
    "slug": "pavilion-operator",
    "name": "特色馆运营团队",
    "county": "",
    "description": "负责特色馆商品目录、订单与县域销售统计的运营团队。",
}

# One brand authority per county (pavilion slug -> organisation); each gets one reviewer
# (brand-<pavilion slug>@pavilion.demo).
BRAND_AUTHORITIES = {
    "mianchi": {"slug": "mianchi-agriculture-bureau", "name": "渑池县农业农村局",
                "address": "河南省三门峡市渑池县"},
    "xixian": {"slug": "xixian-agriculture-bureau", "name": "息县农业农村局",
               "address": "河南省信阳市息县"},
    "xiangyuan": {"slug": "xiangyuan-commerce-center", "name": "襄垣县商务中心",
                  "address": "山西省长治市襄垣县"},
    "ningshan": {"slug": "ningshan-agriculture-bureau", "name": "宁陕县农业农村局",
                 "address": "陕西省安康市宁陕县"},
    "zeku": {"slug": "zeku-agriculture-bureau", "name": "泽库县农牧水利和科技局",
             "address": "青海省黄南藏族自治州泽库县"},
}

# Cooperatives and enterprises that sell; each gets a warehouse and one admin user
# (coop-<slug>@pavilion.demo).
SELLERS = [
    # Mianchi
    {"slug": "mianchi-yangshao-millet", "pavilion": "mianchi", "kind": "cooperative",
     "name": "渑池县仰韶小米种植专业合作社", "address": "河南省三门峡市渑池县仰韶镇",
     "contact": ("张", "建国"),
     "description": "组织仰韶镇农户种植谷子，统一品种、统一收购、统一加工。"},
    {"slug": "mianchi-guoyuan-persimmon", "pavilion": "mianchi", "kind": "cooperative",
     "name": "渑池县果园乡柿饼核桃专业合作社", "address": "河南省三门峡市渑池县果园乡",
     "contact": ("王", "秀兰"),
     "description": "收购果园乡农户的柿子与核桃，传统工艺晾晒柿饼。"},
    {"slug": "mianchi-shaofeng-agri", "pavilion": "mianchi", "kind": "enterprise",
     "name": "渑池县韶峰农业开发有限公司", "address": "河南省三门峡市渑池县城关镇",
     "contact": ("李", "文涛"),
     "description": "花椒、辣椒与丹参的种植基地和初加工企业。"},
    # Xi county
    {"slug": "xixian-xiangdaowan-rice", "pavilion": "xixian", "kind": "cooperative",
     "name": "息县香稻丸原生态种植专业合作社", "address": "河南省信阳市息县项店镇",
     "contact": ("陈", "志强"),
     "description": "沿淮稻区种植香稻丸，统一育秧、统一管理、统一收储。"},
    {"slug": "xixian-banxia-herb", "pavilion": "xixian", "kind": "cooperative",
     "name": "息县息半夏中药材种植专业合作社", "address": "河南省信阳市息县包信镇",
     "contact": ("刘", "桂芳"),
     "description": "息半夏标准化种植与产地初加工。"},
    {"slug": "xixian-huaihe-foods", "pavilion": "xixian", "kind": "enterprise",
     "name": "息县淮河农产品有限公司", "address": "河南省信阳市息县城郊乡",
     "contact": ("周", "海洋"),
     "description": "红心火龙果、松花蛋、小麦粉与花生油的收购和销售。"},
    # Xiangyuan
    {"slug": "xiangyuan-guhan-noodles", "pavilion": "xiangyuan", "kind": "cooperative",
     "name": "襄垣县古韩镇手工挂面专业合作社", "address": "山西省长治市襄垣县古韩镇",
     "contact": ("郭", "保平"),
     "description": "组织古韩镇手工挂面作坊统一原料、统一工艺标准、统一包装。"},
    {"slug": "xiangyuan-xiangzi-cloth", "pavilion": "xiangyuan", "kind": "enterprise",
     "name": "襄垣县襄子老粗布有限公司", "address": "山西省长治市襄垣县古韩镇",
     "contact": ("赵", "红梅"),
     "description": "以传统纺车和木织机纺织襄子老粗布，开发床品与家纺网货。"},
    {"slug": "xiangyuan-wangqiao-millet", "pavilion": "xiangyuan", "kind": "cooperative",
     "name": "襄垣县王桥镇谷子种植专业合作社", "address": "山西省长治市襄垣县王桥镇",
     "contact": ("牛", "国栋"),
     "description": "上党盆地旱作谷子种植与小米加工。"},
    # Ningshan
    {"slug": "ningshan-qinling-honey", "pavilion": "ningshan", "kind": "cooperative",
     "name": "宁陕县秦岭中蜂养殖专业合作社", "address": "陕西省安康市宁陕县皇冠镇",
     "contact": ("杨", "德山"),
     "description": "秦岭山区中华蜂养殖，百花蜜、槐花蜜与巢蜜。"},
    {"slug": "ningshan-shanzhen-mushroom", "pavilion": "ningshan", "kind": "cooperative",
     "name": "宁陕县山珍食用菌专业合作社", "address": "陕西省安康市宁陕县筒车湾镇",
     "contact": ("吴", "春燕"),
     "description": "椴木香菇、花菇与木耳的种植、烘干和分级。"},
    {"slug": "ningshan-supply-ecommerce", "pavilion": "ningshan", "kind": "enterprise",
     "name": "宁陕县供销电子商务有限公司", "address": "陕西省安康市宁陕县城关镇",
     "contact": ("何", "立新"),
     "description": "县级网货供应中心，经营猕猴桃酒、五味子酒等果酒。"},
    # Zeku
    {"slug": "zeku-lagri-livestock", "pavilion": "zeku", "kind": "cooperative",
     "name": "泽库县拉格日生态畜牧业专业合作社",
     "address": "青海省黄南藏族自治州泽库县宁秀镇拉格日村",
     "contact": ("才让", "多杰"),
     "description": "“拉格日模式”生态畜牧业合作社，有机牦牛、藏羊养殖与屠宰分割。"},
    {"slug": "zeku-batan-ranch", "pavilion": "zeku", "kind": "cooperative",
     "name": "泽库县巴滩牧场生态畜牧业专业合作联社",
     "address": "青海省黄南藏族自治州泽库县巴滩牧场",
     "contact": ("拉毛", "卓玛"),
     "description": "牦牛肉干、藏羊肉卷与牦牛乳制品加工。"},
    {"slug": "zeku-heri-specialties", "pavilion": "zeku", "kind": "enterprise",
     "name": "泽库县和日高原特产开发有限公司", "address": "青海省黄南藏族自治州泽库县和日镇",
     "contact": ("仁青", "加"),
     "description": "蕨麻、黄蘑菇、青稞等高原特产的收购、分级与包装。"},
]

# Collections -------------------------------------------------------------------------------

COLLECTIONS = [
    {"slug": "nianhuo-gift-boxes", "name": "年货礼盒",
     "description": "五县特产礼盒，年节走亲访友的心意之选。", "color": (192, 32, 38),
     "products": ["mianchi-persimmon-gift-box", "xixian-xiangdaowan-gift-box",
                  "xiangyuan-cloth-bedding-set", "ningshan-kiwi-wine", "zeku-mutton-gift-box",
                  "mianchi-walnut", "ningshan-comb-honey"]},
    {"slug": "plateau-treasures", "name": "高原珍品",
     "description": "海拔3700米以上的有机牧场与高原野生特产。", "color": (21, 76, 121),
     "products": ["zeku-yak-jerky", "zeku-yak-meat", "zeku-yak-shank", "zeku-tibetan-lamb-ribs",
                  "zeku-juema", "zeku-yellow-mushroom", "zeku-mutton-gift-box"]},
    {"slug": "help-farmers", "name": "助农好物",
     "description": "合作社直供，每一单都让农户多一份收入。", "color": (230, 120, 30),
     "products": ["mianchi-dried-persimmon", "mianchi-yangshao-millet", "xixian-pitaya",
                  "xiangyuan-millet", "ningshan-honey", "zeku-juema", "mianchi-dahongpao-pepper",
                  "xixian-century-egg"]},
    {"slug": "new-arrivals", "name": "新品上市",
     "description": "本季新上架的特色商品。", "color": (0, 137, 123),
     "products": ["xiangyuan-millet-noodles", "ningshan-schisandra-wine", "zeku-highland-barley",
                  "mianchi-chili-sauce", "xixian-peanut-oil"]},
    {"slug": "ecological-staples", "name": "生态主食厨房",
     "description": "息县香稻丸、小麦粉与地标农产品，中国生态主食厨房。", "color": (46, 125, 50),
     "products": ["xixian-xiangdaowan-rice", "xixian-xiangdaowan-gift-box",
                  "xixian-brown-rice", "xixian-wheat-flour", "xixian-rice-vinegar"]},
    {"slug": "xiangyuan-handmade", "name": "襄垣手作",
     "description": "手工挂面与襄子老粗布，传统手艺的温度。", "color": (30, 70, 140),
     "products": ["xiangyuan-handmade-noodles", "xiangyuan-hollow-noodles",
                  "xiangyuan-egg-noodles", "xiangyuan-cloth-bed-sheet",
                  "xiangyuan-cloth-towel"]},
    {"slug": "qinling-treasures", "name": "秦岭山珍",
     "description": "秦岭南坡的蜂蜜、香菇、木耳与果酒。", "color": (27, 94, 32),
     "products": ["ningshan-honey", "ningshan-shiitake", "ningshan-flower-mushroom",
                  "ningshan-wood-ear", "ningshan-kiwi-wine"]},
]

# Products ----------------------------------------------------------------------------------


def V(code, price, cost, stock, *, grade="", net="", size="", weight=None, gtin=""):  # noqa: N802
    """One variant: SKU suffix, price and cost (CNY strings), stock, its attributes."""
    return {"code": code, "price": price, "cost": cost, "stock": stock, "grade": grade,
            "net": net, "size": size, "weight": weight, "gtin": gtin}


DRY = "常温，阴凉干燥处密封保存"
FROZEN = "冷冻，-18℃以下保存"
CHILLED = "冷藏，0-4℃保存"
FRESH = "常温保存，开箱后冷藏"
CLOTH = "阴凉通风处存放，避免暴晒"

# "shape" picks the drawing in demo.shapes; "images" is how many pictures.
PRODUCTS = [
    # 渑池 Mianchi -------------------------------------------------------------------------
    {"slug": "mianchi-dried-persimmon", "name": "渑池柿饼", "pavilion": "mianchi",
     "seller": "mianchi-guoyuan-persimmon", "category": "dried-persimmon",
     "type": "processed-food", "shape": "persimmon", "images": 2, "sku": "MC-SB",
     "description": "选用渑池山地火晶柿子，手工削皮、自然晾晒、捂霜而成。果肉软糯，表面白霜均匀，"
                    "甜而不腻。",
     "origin": "河南渑池", "storage": "冷藏，0-4℃保存", "shelf_life": "6个月",
     "variants": [V("TJ-500G", "49.90", "27.00", 180, grade="特级", net="500g",
                    gtin=gs1("692430110001")),
                  V("YJ-500G", "39.90", "21.50", 240, grade="一级", net="500g",
                    gtin=gs1("692430110002")),
                  V("TJ-1KG", "89.00", "50.00", 60, grade="特级", net="1kg")]},
    {"slug": "mianchi-persimmon-gift-box", "name": "渑池吊柿饼礼盒", "pavilion": "mianchi",
     "seller": "mianchi-guoyuan-persimmon", "category": "dried-persimmon",
     "type": "processed-food", "shape": "gift", "images": 1, "sku": "MC-SBLH",
     "description": "渑池吊柿饼独立小袋装，红色礼盒包装，适合年节馈赠。",
     "origin": "河南渑池", "storage": "冷藏，0-4℃保存", "shelf_life": "6个月",
     "variants": [V("TJ-1500G", "128.00", "72.00", 45, grade="特级", net="1.5kg")]},
    {"slug": "mianchi-walnut", "name": "渑池薄皮核桃", "pavilion": "mianchi",
     "seller": "mianchi-guoyuan-persimmon", "category": "walnut",
     "type": "farm-produce", "shape": "walnut", "images": 1, "sku": "MC-HT",
     "description": "豫西浅山区种植的薄皮核桃，壳薄易剥，仁色浅黄，香而不涩。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "45.80", "26.00", 150, grade="特级", net="1kg",
                    gtin=gs1("692430110011")),
                  V("YJ-2500G", "98.00", "58.00", 80, grade="一级", net="2.5kg")]},
    {"slug": "mianchi-walnut-kernel", "name": "渑池核桃仁", "pavilion": "mianchi",
     "seller": "mianchi-guoyuan-persimmon", "category": "walnut",
     "type": "processed-food", "shape": "walnut", "images": 1, "sku": "MC-HTR",
     "description": "手工剥取的渑池核桃仁，整半仁为主，可直接食用或打浆。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "9个月",
     "variants": [V("YJ-500G", "42.00", "25.00", 90, grade="一级", net="500g")]},
    {"slug": "mianchi-yangshao-millet", "name": "渑池仰韶小米", "pavilion": "mianchi",
     "seller": "mianchi-yangshao-millet", "category": "millet",
     "type": "farm-produce", "shape": "grains", "images": 2, "sku": "MC-XM",
     "description": "仰韶文化发源地的旱作谷子，当年新米，颗粒饱满，熬粥米油厚、米香浓。",
     "origin": "河南渑池仰韶镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-2500G", "39.90", "22.00", 300, grade="特级", net="2.5kg",
                    gtin=gs1("692430110021")),
                  V("YJ-5KG", "68.00", "40.00", 120, grade="一级", net="5kg")]},
    {"slug": "mianchi-dahongpao-pepper", "name": "渑池大红袍花椒", "pavilion": "mianchi",
     "seller": "mianchi-shaofeng-agri", "category": "sichuan-pepper",
     "type": "farm-produce", "shape": "pepper", "images": 1, "sku": "MC-HJ",
     "description": "豫西山地大红袍花椒，色泽红亮，麻味足、香气浓，开口率高、籽少。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "18个月",
     "variants": [V("TJ-250G", "36.00", "20.00", 200, grade="特级", net="250g"),
                  V("YJ-500G", "58.00", "33.00", 110, grade="一级", net="500g")]},
    {"slug": "mianchi-pepper-powder", "name": "渑池花椒粉", "pavilion": "mianchi",
     "seller": "mianchi-shaofeng-agri", "category": "sichuan-pepper",
     "type": "processed-food", "shape": "jar", "images": 1, "sku": "MC-HJF",
     "description": "大红袍花椒低温烘焙后研磨，去籽去梗，适合凉拌和炖煮。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("200G", "19.90", "9.50", 260, net="200g")]},
    {"slug": "mianchi-dried-chili", "name": "渑池干辣椒", "pavilion": "mianchi",
     "seller": "mianchi-shaofeng-agri", "category": "chili",
     "type": "farm-produce", "shape": "chili", "images": 1, "sku": "MC-LJ",
     "description": "渑池线椒自然晾干，色红油润、辣度适中，适合炝锅和制作油泼辣子。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-500G", "22.00", "11.00", 160, grade="一级", net="500g"),
                  V("EJ-1KG", "36.00", "19.00", 70, grade="二级", net="1kg")]},
    {"slug": "mianchi-chili-sauce", "name": "渑池香辣椒酱", "pavilion": "mianchi",
     "seller": "mianchi-shaofeng-agri", "category": "chili",
     "type": "processed-food", "shape": "jar", "images": 1, "sku": "MC-LJJ",
     "description": "本地线椒与花生、芝麻同炒，香辣下饭。",
     "origin": "河南渑池", "storage": "常温保存，开盖后冷藏", "shelf_life": "12个月",
     "variants": [V("280G", "15.80", "7.20", 150, net="280g")]},
    {"slug": "mianchi-danshen", "name": "渑池丹参", "pavilion": "mianchi",
     "seller": "mianchi-shaofeng-agri", "category": "danshen",
     "type": "farm-produce", "shape": "root", "images": 1, "sku": "MC-DS",
     "description": "渑池浅山丘陵种植的丹参，切片晒干，断面紫褐色、纹理清晰。",
     "origin": "河南渑池", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("YJ-250G", "28.00", "15.00", 95, grade="一级", net="250g"),
                  V("TJ-500G", "68.00", "38.00", 40, grade="特级", net="500g")]},
    # 息县 Xi county -----------------------------------------------------------------------
    {"slug": "xixian-xiangdaowan-rice", "name": "息县香稻丸", "pavilion": "xixian",
     "seller": "xixian-xiangdaowan-rice", "category": "rice",
     "type": "farm-produce", "shape": "rice", "images": 2, "sku": "XX-XDW",
     "description": "国家地理标志产品“息县香稻丸”，淮河岸边一季稻，米粒细长，蒸煮时满屋稻香。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-2500G", "59.90", "34.00", 260, grade="特级", net="2.5kg",
                    gtin=gs1("692430220001")),
                  V("YJ-5KG", "89.00", "52.00", 140, grade="一级", net="5kg",
                    gtin=gs1("692430220002"))]},
    {"slug": "xixian-xiangdaowan-gift-box", "name": "息县香稻丸礼盒", "pavilion": "xixian",
     "seller": "xixian-xiangdaowan-rice", "category": "rice",
     "type": "farm-produce", "shape": "gift", "images": 1, "sku": "XX-XDWLH",
     "description": "六小袋真空包装的特级香稻丸，“中国生态主食厨房”品牌礼盒。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-3KG", "138.00", "78.00", 50, grade="特级", net="3kg")]},
    {"slug": "xixian-brown-rice", "name": "息县香稻丸糙米", "pavilion": "xixian",
     "seller": "xixian-xiangdaowan-rice", "category": "rice",
     "type": "farm-produce", "shape": "rice", "images": 1, "sku": "XX-CM",
     "description": "只去稻壳、保留米糠层的香稻丸糙米，适合搭配杂粮煮饭。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "9个月",
     "variants": [V("YJ-2500G", "36.00", "20.00", 120, grade="一级", net="2.5kg")]},
    {"slug": "xixian-wheat-flour", "name": "息县弱筋小麦粉", "pavilion": "xixian",
     "seller": "xixian-huaihe-foods", "category": "flour",
     "type": "processed-food", "shape": "sack", "images": 1, "sku": "XX-MF",
     "description": "息县弱筋小麦磨制，筋度低、口感松软，适合做糕点和馒头。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-5KG", "32.00", "18.00", 200, grade="一级", net="5kg")]},
    {"slug": "xixian-banxia", "name": "息半夏", "pavilion": "xixian",
     "seller": "xixian-banxia-herb", "category": "pinellia",
     "type": "farm-produce", "shape": "tubers", "images": 1, "sku": "XX-BX",
     "description": "国家地理标志产品“息半夏”，块茎圆整、色白质坚，产地初加工后晒干。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("YJ-250G", "48.00", "28.00", 80, grade="一级", net="250g"),
                  V("TJ-500G", "88.00", "52.00", 35, grade="特级", net="500g")]},
    {"slug": "xixian-pitaya", "name": "息县红心火龙果", "pavilion": "xixian",
     "seller": "xixian-huaihe-foods", "category": "pitaya",
     "type": "farm-produce", "shape": "pitaya", "images": 1, "sku": "XX-HLG",
     "description": "息县大棚种植的红心火龙果，果大皮薄，果肉紫红，产地直发。",
     "origin": "河南息县", "storage": FRESH, "shelf_life": "10天",
     "variants": [V("YJ-2500G", "39.90", "22.00", 150, grade="一级", net="2.5kg"),
                  V("TJ-5KG", "69.90", "40.00", 60, grade="特级", net="5kg")]},
    {"slug": "xixian-century-egg", "name": "息县松花蛋", "pavilion": "xixian",
     "seller": "xixian-huaihe-foods", "category": "century-egg",
     "type": "processed-food", "shape": "eggs", "images": 1, "sku": "XX-SHD",
     "description": "传统工艺腌制的无铅松花蛋，蛋清透亮有松花，蛋黄溏心。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "6个月",
     "variants": [V("20P", "39.90", "22.00", 180, net="1.2kg")]},
    {"slug": "xixian-rice-vinegar", "name": "息县香稻丸米醋", "pavilion": "xixian",
     "seller": "xixian-xiangdaowan-rice", "category": "vinegar",
     "type": "processed-food", "shape": "bottle", "images": 1, "sku": "XX-MC",
     "description": "以香稻丸为原料固态发酵酿造，酸味柔和，米香回甘。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("500ML", "12.80", "5.60", 220, net="500ml", weight="0.650")]},
    {"slug": "xixian-peanut-oil", "name": "息县压榨花生油", "pavilion": "xixian",
     "seller": "xixian-huaihe-foods", "category": "edible-oil",
     "type": "processed-food", "shape": "bottle", "images": 1, "sku": "XX-HSY",
     "description": "息县花生物理压榨，浓香型，不添加防腐剂。",
     "origin": "河南息县", "storage": DRY, "shelf_life": "18个月",
     "variants": [V("5L", "138.00", "96.00", 40, net="5L", weight="4.900")]},
    {"slug": "xixian-xiangmi-baijiu", "name": "息县香米贡酒", "pavilion": "xixian",
     "seller": "xixian-huaihe-foods", "category": "baijiu",
     "type": "processed-food", "shape": "bottle", "images": 1, "sku": "XX-GJ",
     "published": False,
     "description": "以本地香米为主要原料酿造的浓香型白酒，52度。",
     "origin": "河南息县", "storage": "常温避光保存", "shelf_life": "长期",
     "variants": [V("500ML", "128.00", "70.00", 30, net="500ml", weight="1.100")]},
    # 襄垣 Xiangyuan -----------------------------------------------------------------------
    {"slug": "xiangyuan-handmade-noodles", "name": "襄垣手工挂面", "pavilion": "xiangyuan",
     "seller": "xiangyuan-guhan-noodles", "category": "noodles",
     "type": "processed-food", "shape": "noodles", "images": 2, "sku": "XY-GM",
     "description": "本地小麦粉手工和面、盘条、上杆、拉面、晾晒，面条细匀、久煮不糊。",
     "origin": "山西襄垣古韩镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "26.80", "14.00", 400, grade="特级", net="1kg",
                    gtin=gs1("692430330001")),
                  V("TJ-2500G", "59.00", "32.00", 160, grade="特级", net="2.5kg",
                    gtin=gs1("692430330002"))]},
    {"slug": "xiangyuan-hollow-noodles", "name": "襄垣手工空心挂面", "pavilion": "xiangyuan",
     "seller": "xiangyuan-guhan-noodles", "category": "noodles",
     "type": "processed-food", "shape": "noodles", "images": 1, "sku": "XY-KXGM",
     "description": "经过多次醒面拉制而成的空心挂面，面芯有细孔，易熟入味。",
     "origin": "山西襄垣古韩镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "32.00", "17.00", 180, grade="特级", net="1kg")]},
    {"slug": "xiangyuan-buckwheat-noodles", "name": "襄垣荞麦手工挂面", "pavilion": "xiangyuan",
     "seller": "xiangyuan-guhan-noodles", "category": "noodles",
     "type": "processed-food", "shape": "noodles", "images": 1, "sku": "XY-QMGM",
     "description": "小麦粉中加入三成荞麦粉手工拉制，麦香浓郁、口感筋道。",
     "origin": "山西襄垣古韩镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-1KG", "29.90", "16.00", 140, grade="一级", net="1kg")]},
    {"slug": "xiangyuan-egg-noodles", "name": "襄垣鸡蛋手工挂面", "pavilion": "xiangyuan",
     "seller": "xiangyuan-guhan-noodles", "category": "noodles",
     "type": "processed-food", "shape": "noodles", "images": 1, "sku": "XY-JDGM",
     "description": "和面时加入鲜鸡蛋，面色微黄，爽滑有弹性。",
     "origin": "山西襄垣古韩镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "35.00", "19.00", 0, grade="特级", net="1kg")]},
    {"slug": "xiangyuan-millet-noodles", "name": "襄垣小米手工挂面", "pavilion": "xiangyuan",
     "seller": "xiangyuan-guhan-noodles", "category": "noodles",
     "type": "processed-food", "shape": "noodles", "images": 1, "sku": "XY-XMGM",
     "description": "襄垣小米磨粉与小麦粉按比例和面，手工拉制，带有淡淡小米香。",
     "origin": "山西襄垣古韩镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "33.00", "18.00", 110, grade="特级", net="1kg")]},
    {"slug": "xiangyuan-cloth-bed-sheet", "name": "襄子老粗布床单", "pavilion": "xiangyuan",
     "seller": "xiangyuan-xiangzi-cloth", "category": "handwoven-cloth",
     "type": "handicraft", "shape": "cloth", "images": 2, "sku": "XY-CBCD",
     "description": "纯棉手工织就的襄子老粗布床单，经纬紧密、透气吸汗，越洗越柔软。",
     "origin": "山西襄垣", "material": "100%棉", "storage": CLOTH,
     "variants": [V("180X230", "268.00", "150.00", 35, size="1.8m×2.3m", weight="1.600",
                    gtin=gs1("692430330101")),
                  V("200X230", "298.00", "168.00", 25, size="2.0m×2.3m", weight="1.800")]},
    {"slug": "xiangyuan-cloth-bedding-set", "name": "襄子老粗布四件套", "pavilion": "xiangyuan",
     "seller": "xiangyuan-xiangzi-cloth", "category": "handwoven-cloth",
     "type": "handicraft", "shape": "cloth", "images": 1, "sku": "XY-CBSJT",
     "description": "床单、被罩与两只枕套的老粗布四件套，传统格纹，礼盒包装。",
     "origin": "山西襄垣", "material": "100%棉", "storage": CLOTH,
     "variants": [V("150", "458.00", "260.00", 20, size="1.5m床", weight="3.200"),
                  V("180", "528.00", "300.00", 15, size="1.8m床", weight="3.600")]},
    {"slug": "xiangyuan-cloth-towel", "name": "襄子老粗布毛巾", "pavilion": "xiangyuan",
     "seller": "xiangyuan-xiangzi-cloth", "category": "handwoven-cloth",
     "type": "handicraft", "shape": "cloth", "images": 1, "sku": "XY-CBMJ",
     "description": "老粗布手工毛巾两条装，吸水快、不掉毛。",
     "origin": "山西襄垣", "material": "100%棉", "storage": CLOTH,
     "variants": [V("2P", "59.00", "30.00", 120, size="35cm×75cm×2条", weight="0.350")]},
    {"slug": "xiangyuan-cloth-summer-mat", "name": "襄子老粗布凉席", "pavilion": "xiangyuan",
     "seller": "xiangyuan-xiangzi-cloth", "category": "handwoven-cloth",
     "type": "handicraft", "shape": "cloth", "images": 1, "sku": "XY-CBLX",
     "description": "加厚老粗布凉席，夏天不凉不冰、透气吸汗。",
     "origin": "山西襄垣", "material": "100%棉", "storage": CLOTH,
     "variants": [V("180X200", "238.00", "135.00", 30, size="1.8m×2.0m", weight="2.100")]},
    {"slug": "xiangyuan-millet", "name": "襄垣小米", "pavilion": "xiangyuan",
     "seller": "xiangyuan-wangqiao-millet", "category": "millet",
     "type": "farm-produce", "shape": "grains", "images": 1, "sku": "XY-XM",
     "description": "上党盆地旱作谷子碾制的黄小米，米色金黄，熬粥黏稠。",
     "origin": "山西襄垣王桥镇", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-2500G", "36.00", "20.00", 220, grade="一级", net="2.5kg"),
                  V("TJ-5KG", "68.00", "39.00", 90, grade="特级", net="5kg")]},
    # 宁陕 Ningshan ------------------------------------------------------------------------
    {"slug": "ningshan-honey", "name": "宁陕秦岭土蜂蜜", "pavilion": "ningshan",
     "seller": "ningshan-qinling-honey", "category": "honey",
     "type": "processed-food", "shape": "honey", "images": 2, "sku": "NS-FM",
     "description": "秦岭南坡中华蜂采集山花酿造的土蜂蜜，一年一取，自然成熟，低温结晶。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("500G", "68.00", "38.00", 150, net="500g", gtin=gs1("692430440001")),
                  V("1KG", "118.00", "68.00", 70, net="1kg", gtin=gs1("692430440002"))]},
    {"slug": "ningshan-wildflower-honey", "name": "宁陕百花蜜", "pavilion": "ningshan",
     "seller": "ningshan-qinling-honey", "category": "honey",
     "type": "processed-food", "shape": "honey", "images": 1, "sku": "NS-BHM",
     "description": "多种秦岭野花蜜源混合的百花蜜，色泽琥珀，花香浓郁。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("500G", "49.90", "27.00", 180, net="500g")]},
    {"slug": "ningshan-acacia-honey", "name": "宁陕槐花蜜", "pavilion": "ningshan",
     "seller": "ningshan-qinling-honey", "category": "honey",
     "type": "processed-food", "shape": "honey", "images": 1, "sku": "NS-HHM",
     "description": "五月槐花盛开时采集，水白透亮，清甜不易结晶。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("500G", "45.00", "25.00", 160, net="500g")]},
    {"slug": "ningshan-comb-honey", "name": "宁陕中蜂巢蜜", "pavilion": "ningshan",
     "seller": "ningshan-qinling-honey", "category": "comb-honey",
     "type": "processed-food", "shape": "honeycomb", "images": 1, "sku": "NS-CM",
     "description": "连蜂巢一起切块装盒的原生巢蜜，可嚼食蜂蜡。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "18个月",
     "variants": [V("500G", "98.00", "56.00", 45, net="500g")]},
    {"slug": "ningshan-kiwi-wine", "name": "宁陕猕猴桃酒", "pavilion": "ningshan",
     "seller": "ningshan-supply-ecommerce", "category": "fruit-wine",
     "type": "processed-food", "shape": "wine", "images": 2, "sku": "NS-MHTJ",
     "description": "秦岭野生猕猴桃发酵酿造的果酒，酒体金黄，果香清新，酒精度12%vol。",
     "origin": "陕西宁陕", "storage": "常温避光保存，开瓶后冷藏", "shelf_life": "36个月",
     "variants": [V("750ML", "88.00", "45.00", 90, net="750ml", weight="1.300",
                    gtin=gs1("692430440011")),
                  V("750MLX2", "168.00", "88.00", 40, net="750ml×2", weight="2.800")]},
    {"slug": "ningshan-schisandra-wine", "name": "宁陕五味子果酒", "pavilion": "ningshan",
     "seller": "ningshan-supply-ecommerce", "category": "fruit-wine",
     "type": "processed-food", "shape": "wine", "images": 1, "sku": "NS-WWZJ",
     "description": "秦岭北五味子果实酿造，酸甜适口，酒精度10%vol。",
     "origin": "陕西宁陕", "storage": "常温避光保存，开瓶后冷藏", "shelf_life": "36个月",
     "variants": [V("500ML", "78.00", "40.00", 60, net="500ml", weight="0.950")]},
    {"slug": "ningshan-raisin-tree-wine", "name": "宁陕拐枣酒", "pavilion": "ningshan",
     "seller": "ningshan-supply-ecommerce", "category": "fruit-wine",
     "type": "processed-food", "shape": "wine", "images": 1, "sku": "NS-GZJ",
     "published": False,
     "description": "山中野生拐枣经发酵、陈酿而成的传统果酒。",
     "origin": "陕西宁陕", "storage": "常温避光保存", "shelf_life": "36个月",
     "variants": [V("500ML", "68.00", "35.00", 25, net="500ml", weight="0.950")]},
    {"slug": "ningshan-shiitake", "name": "宁陕椴木香菇", "pavilion": "ningshan",
     "seller": "ningshan-shanzhen-mushroom", "category": "shiitake",
     "type": "farm-produce", "shape": "mushroom", "images": 2, "sku": "NS-XG",
     "description": "秦岭椴木段栽培、自然出菇，低温烘干，菇肉厚实、香味浓。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-250G", "39.90", "22.00", 200, grade="一级", net="250g",
                    gtin=gs1("692430440021")),
                  V("TJ-500G", "75.00", "43.00", 80, grade="特级", net="500g")]},
    {"slug": "ningshan-flower-mushroom", "name": "宁陕花菇", "pavilion": "ningshan",
     "seller": "ningshan-shanzhen-mushroom", "category": "shiitake",
     "type": "farm-produce", "shape": "mushroom", "images": 1, "sku": "NS-HG",
     "description": "冬春低温干燥时节形成菇面白色花纹的香菇，口感爽脆。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("TJ-250G", "58.00", "33.00", 75, grade="特级", net="250g")]},
    {"slug": "ningshan-wood-ear", "name": "宁陕秦岭木耳", "pavilion": "ningshan",
     "seller": "ningshan-shanzhen-mushroom", "category": "wood-ear",
     "type": "farm-produce", "shape": "woodear", "images": 1, "sku": "NS-ME",
     "description": "秦岭山区段木黑木耳，朵小肉厚，泡发率高。",
     "origin": "陕西宁陕", "storage": DRY, "shelf_life": "24个月",
     "variants": [V("YJ-250G", "36.00", "20.00", 130, grade="一级", net="250g")]},
    # 泽库 Zeku ----------------------------------------------------------------------------
    {"slug": "zeku-yak-jerky", "name": "泽库牦牛肉干", "pavilion": "zeku",
     "seller": "zeku-batan-ranch", "category": "yak-meat",
     "type": "processed-food", "shape": "jerky", "images": 2, "sku": "ZK-NRG",
     "description": "有机认证泽库牦牛后腿肉风干制成，原味少盐，肉丝紧实、越嚼越香。",
     "origin": "青海泽库", "storage": DRY, "shelf_life": "9个月",
     "variants": [V("YW-250G", "78.00", "45.00", 200, net="250g", gtin=gs1("692430550001")),
                  V("YW-500G", "148.00", "86.00", 90, net="500g", gtin=gs1("692430550002"))]},
    {"slug": "zeku-yak-meat", "name": "泽库牦牛肉", "pavilion": "zeku",
     "seller": "zeku-lagri-livestock", "category": "yak-meat",
     "type": "farm-produce", "shape": "meat", "images": 1, "sku": "ZK-NR",
     "description": "泽库高原有机牧场放牧的牦牛，屠宰排酸后分割冷冻，冷链发货。",
     "origin": "青海泽库", "storage": FROZEN, "shelf_life": "12个月",
     "variants": [V("YJ-1KG", "168.00", "110.00", 100, grade="一级", net="1kg"),
                  V("YJ-2500G", "398.00", "265.00", 40, grade="一级", net="2.5kg")]},
    {"slug": "zeku-yak-shank", "name": "泽库牦牛腱子肉", "pavilion": "zeku",
     "seller": "zeku-lagri-livestock", "category": "yak-meat",
     "type": "farm-produce", "shape": "meat", "images": 1, "sku": "ZK-JZ",
     "description": "牦牛前腿腱子肉，筋肉相间，适合卤制和炖煮。",
     "origin": "青海泽库", "storage": FROZEN, "shelf_life": "12个月",
     "variants": [V("TJ-1KG", "188.00", "125.00", 60, grade="特级", net="1kg")]},
    {"slug": "zeku-tibetan-lamb-ribs", "name": "泽库藏羊羊排", "pavilion": "zeku",
     "seller": "zeku-lagri-livestock", "category": "tibetan-mutton",
     "type": "farm-produce", "shape": "meat", "images": 1, "sku": "ZK-ZYP",
     "description": "“泽库藏羊”地域品牌羊排，高原放牧，肉质细嫩无膻味。",
     "origin": "青海泽库", "storage": FROZEN, "shelf_life": "12个月",
     "variants": [V("YJ-1KG", "158.00", "100.00", 80, grade="一级", net="1kg",
                    gtin=gs1("692430550011")),
                  V("TJ-2KG", "298.00", "195.00", 30, grade="特级", net="2kg")]},
    {"slug": "zeku-tibetan-mutton-rolls", "name": "泽库藏羊肉卷", "pavilion": "zeku",
     "seller": "zeku-batan-ranch", "category": "tibetan-mutton",
     "type": "processed-food", "shape": "meat", "images": 1, "sku": "ZK-YRJ",
     "description": "藏羊肩肉与腿肉卷制切片，适合涮锅。",
     "origin": "青海泽库", "storage": FROZEN, "shelf_life": "12个月",
     "variants": [V("500G", "79.00", "50.00", 150, net="500g")]},
    {"slug": "zeku-mutton-gift-box", "name": "泽库藏羊肉礼盒", "pavilion": "zeku",
     "seller": "zeku-lagri-livestock", "category": "tibetan-mutton",
     "type": "farm-produce", "shape": "gift", "images": 1, "sku": "ZK-YRLH",
     "description": "羊排、羊腿与羊蝎子组合装藏羊肉礼盒，冷链配送。",
     "origin": "青海泽库", "storage": FROZEN, "shelf_life": "12个月",
     "variants": [V("TJ-5KG", "699.00", "460.00", 20, grade="特级", net="5kg")]},
    {"slug": "zeku-juema", "name": "泽库蕨麻", "pavilion": "zeku",
     "seller": "zeku-heri-specialties", "category": "juema",
     "type": "farm-produce", "shape": "tubers", "images": 1, "sku": "ZK-JM",
     "description": "高原草甸野生蕨麻（人参果），个头匀称，可煮粥、做蕨麻米饭。",
     "origin": "青海泽库", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-250G", "58.00", "34.00", 120, grade="一级", net="250g"),
                  V("TJ-500G", "108.00", "65.00", 50, grade="特级", net="500g")]},
    {"slug": "zeku-yellow-mushroom", "name": "泽库黄蘑菇", "pavilion": "zeku",
     "seller": "zeku-heri-specialties", "category": "yellow-mushroom",
     "type": "farm-produce", "shape": "mushroom", "images": 1, "sku": "ZK-HMG",
     "description": "夏季雨后在高原草场采摘的野生黄蘑菇，晾干后菌香浓郁。",
     "origin": "青海泽库", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("100G", "68.00", "40.00", 90, net="100g"),
                  V("250G", "158.00", "95.00", 35, net="250g")]},
    {"slug": "zeku-highland-barley", "name": "泽库青稞米", "pavilion": "zeku",
     "seller": "zeku-heri-specialties", "category": "coarse-grains",
     "type": "farm-produce", "shape": "grains", "images": 1, "sku": "ZK-QK",
     "description": "高原种植的青稞脱壳成米，可与大米同煮。",
     "origin": "青海泽库", "storage": DRY, "shelf_life": "12个月",
     "variants": [V("YJ-2500G", "35.00", "19.00", 100, grade="一级", net="2.5kg")]},
    {"slug": "zeku-yak-yogurt", "name": "泽库牦牛酸奶", "pavilion": "zeku",
     "seller": "zeku-batan-ranch", "category": "yogurt",
     "type": "processed-food", "shape": "yogurt", "images": 1, "sku": "ZK-SN",
     "description": "牦牛鲜奶传统发酵，奶皮厚、酸味醇正，冷链发货。",
     "origin": "青海泽库", "storage": CHILLED, "shelf_life": "21天",
     "variants": [V("200GX6", "59.00", "33.00", 0, net="200g×6", weight="1.400")]},
]

# Weekly live sales broadcasts (the counties ask for at least one a week): a host per
# schedule (a member of the cooperative named), the venue, the local weekly slot, and the
# line-up (product slug, live price, units allocated to the broadcast, limit per buyer).
LIVE_SCHEDULES = [
    {"host_email": "host-mianchi@pavilion.demo", "host_name": "仰韶小米姐",
     "organization": "mianchi-yangshao-millet", "birth_date": "1994-05-12",
     "platforms": ["douyin", "pavilion"],
     "venue": {"name": "渑池县电商公共服务中心直播间", "kind": "studio",
               "address": "河南省三门峡市渑池县电商产业园"},
     "title": "渑池好物周五直播间", "weekday": 4, "start": "19:30", "minutes": 90,
     "platform": "douyin",
     "lineup": [("mianchi-yangshao-millet", "35.90", 40, 3),
                ("mianchi-dried-persimmon", "49.90", 30, 2),
                ("mianchi-walnut", "36.00", 30, 2)]},
    {"host_email": "host-zeku@pavilion.demo", "host_name": "牧人扎西",
     "organization": "zeku-lagri-livestock", "birth_date": "1990-08-03",
     "platforms": ["wechat_channels", "pavilion"],
     "venue": {"name": "泽库县拉格日生态牧场", "kind": "origin",
               "address": "青海省黄南藏族自治州泽库县宁秀镇拉格日村"},
     "title": "高原牧场产地直播", "weekday": 5, "start": "20:00", "minutes": 90,
     "platform": "wechat_channels",
     "lineup": [("zeku-yak-jerky", "68.00", 30, 2),
                ("zeku-juema", "45.00", 20, 2)]},
]
