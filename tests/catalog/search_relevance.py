"""The relevance test set of product search over the demo catalogue
(``manage.py load_demo_data``): what a shopper types, the products that count as the
right answer, and within how many places one of them must come (1 = first, 3 = top 3).

Used by ``tests/catalog/test_search_relevance.py`` (every query must pass on the database
backend) and ``benchmarks/search.py`` (which reports the score)."""

from __future__ import annotations

MIANCHI = ("mianchi-",)
XIXIAN = ("xixian-",)
XIANGYUAN = ("xiangyuan-",)
ZEKU = ("zeku-",)

# (kind, query, accepted slugs (or slug prefixes ending in "-"), top n)
CASES = [
    # Chinese words
    ("word", "小米", ["mianchi-yangshao-millet"], 3),
    ("word", "牦牛", ["zeku-yak-jerky"], 3),
    ("word", "柿饼", ["mianchi-dried-persimmon"], 1),
    ("word", "核桃", ["mianchi-walnut"], 3),
    ("word", "蜂蜜", ["ningshan-honey"], 1),
    ("word", "香菇", ["ningshan-shiitake"], 1),
    ("word", "挂面", ["xiangyuan-handmade-noodles"], 1),
    ("word", "丹参", ["mianchi-danshen"], 1),
    ("word", "火龙果", ["xixian-pitaya"], 1),
    ("word", "蕨麻", ["zeku-juema"], 1),
    ("word", "黄蘑菇", ["zeku-yellow-mushroom"], 1),
    ("word", "花椒", ["mianchi-dahongpao-pepper"], 3),
    ("word", "香稻丸", ["xixian-xiangdaowan-rice"], 1),
    ("word", "泽库牦牛肉干", ["zeku-yak-jerky"], 1),
    ("word", "渑池小米", ["mianchi-yangshao-millet"], 1),
    ("word", "木耳", ["ningshan-wood-ear"], 1),
    # Parts of words
    ("partial", "牦牛肉", ["zeku-yak-meat"], 3),
    ("partial", "稻丸", ["xixian-xiangdaowan-rice"], 3),
    ("partial", "粗布毛巾", ["xiangyuan-cloth-towel"], 1),
    ("partial", "半夏", ["xixian-banxia"], 1),
    ("partial", "蘑菇", ["zeku-yellow-mushroom"], 1),
    ("partial", "火龙", ["xixian-pitaya"], 1),
    ("partial", "肉干", ["zeku-yak-jerky"], 1),
    ("partial", "柿", ["mianchi-dried-persimmon"], 3),
    # Full pinyin
    ("pinyin", "xiaomi", ["mianchi-yangshao-millet"], 3),
    ("pinyin", "shibing", ["mianchi-dried-persimmon"], 3),
    ("pinyin", "maoniu", ["zeku-yak-jerky"], 3),
    ("pinyin", "hetao", ["mianchi-walnut"], 3),
    ("pinyin", "fengmi", ["ningshan-honey"], 1),
    ("pinyin", "niurougan", ["zeku-yak-jerky"], 1),
    ("pinyin", "guamian", ["xiangyuan-handmade-noodles"], 3),
    ("pinyin", "huolongguo", ["xixian-pitaya"], 1),
    ("pinyin", "XiangDaoWan", ["xixian-xiangdaowan-rice"], 3),
    # Pinyin initials
    ("initials", "xm", ["mianchi-yangshao-millet"], 3),
    ("initials", "sb", ["mianchi-dried-persimmon"], 3),
    ("initials", "hlg", ["xixian-pitaya"], 1),
    ("initials", "lcbmj", ["xiangyuan-cloth-towel"], 1),
    ("initials", "jm", ["zeku-juema"], 3),
    # County and brand names
    ("county", "泽库 牦牛", ["zeku-yak-jerky", "zeku-yak-meat"], 3),
    ("county", "渑池 花椒", ["mianchi-dahongpao-pepper"], 3),
    ("county", "宁陕香菇", ["ningshan-shiitake"], 1),
    ("county", "息县", list(XIXIAN), 1),
    ("county", "襄垣", list(XIANGYUAN), 1),
    ("county", "渑池县", list(MIANCHI), 1),
    ("county", "mianchi", list(MIANCHI), 1),
    ("county", "zeku", list(ZEKU), 1),
    ("county", "中国生态主食厨房", list(XIXIAN), 3),
    ("county", "仰韶", ["mianchi-yangshao-millet"], 1),
    # Grade words
    ("grade", "特级 柿饼", ["mianchi-dried-persimmon"], 1),
    ("grade", "一级 核桃", ["mianchi-walnut", "mianchi-walnut-kernel"], 3),
    ("grade", "特级小米", ["mianchi-yangshao-millet"], 3),
    ("grade", "特级", None, 0),  # only products with a 特级 variant (checked in the test)
]


def accepted(slug: str, expected: list[str]) -> bool:
    return any(slug.startswith(e) if e.endswith("-") else slug == e for e in expected)


def passes(ranked_slugs: list[str], expected: list[str] | None, top: int) -> bool:
    if expected is None:
        return bool(ranked_slugs)
    return any(accepted(slug, expected) for slug in ranked_slugs[:top])
