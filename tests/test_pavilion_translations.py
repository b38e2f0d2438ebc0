"""Pavilions and production bases answer ``translation(languageCode:)`` through the real
/graphql/ view, in the shape of Saleor's translation types: the stored record for the
language asked (Tibetan under BO and its regional codes), null where none is stored."""

from content.models import BaseTranslation, PavilionTranslation
from tests.factories import gid

PAVILION = """query($slug: String!, $lang: LanguageCodeEnum!) {
  pavilion(slug: $slug, channel: "default") {
    name slogan
    translation(languageCode: $lang) { id name slogan story language { code language } } } }"""

BASES = """query($lang: LanguageCodeEnum!) { bases(first: 5) { edges { node {
  name location translation(languageCode: $lang) { id name location language { code } } } } } }"""

NAME_BO = "རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།"


def test_pavilion_translation_in_tibetan_english_and_none(gql, channel, pavilion):
    tibetan = PavilionTranslation.objects.create(pavilion=pavilion, language_code="bo",
                                                 name=NAME_BO, slogan="མཐོ་སྒང་གཤིས་རྒྱུན།")
    PavilionTranslation.objects.create(pavilion=pavilion, language_code="en",
                                       name="Mianchi pavilion", story="Persimmons since Yangshao.")
    found = gql.data(PAVILION, {"slug": pavilion.slug, "lang": "BO"})["pavilion"]
    assert found["name"] == pavilion.name  # the original stays Chinese
    assert found["translation"] == {
        "id": gid("PavilionTranslation", tibetan.pk), "name": NAME_BO,
        "slogan": "མཐོ་སྒང་གཤིས་རྒྱུན།", "story": None,
        "language": {"code": "BO", "language": "Tibetan"}}
    # Saleor's regional codes of a stored language answer its record.
    regional = gql.data(PAVILION, {"slug": pavilion.slug, "lang": "BO_CN"})["pavilion"]
    assert regional["translation"]["name"] == NAME_BO
    english = gql.data(PAVILION, {"slug": pavilion.slug, "lang": "EN_US"})["pavilion"]
    assert english["translation"]["name"] == "Mianchi pavilion"
    assert english["translation"]["story"] == "Persimmons since Yangshao."
    # No record for the language: null, and the client shows the original.
    assert gql.data(PAVILION, {"slug": pavilion.slug, "lang": "FR"})["pavilion"][
        "translation"] is None
    # Not a language code at all: refused by the schema.
    refused = gql.post(PAVILION, {"slug": pavilion.slug, "lang": "TIBETAN"})
    assert refused["errors"] and "LanguageCodeEnum" in refused["errors"][0]["message"]


def test_base_translation_for_its_cooperative_only(gql, gql_as, coop_user, other_coop_user,
                                                   base):
    BaseTranslation.objects.create(base=base, language_code="bo", name="ཤིང་ཏོག་གཞི་ཁུལ།")
    edges = gql_as(coop_user).data(BASES, {"lang": "BO"})["bases"]["edges"]
    assert [e["node"]["translation"] for e in edges] == [{
        "id": gid("BaseTranslation", BaseTranslation.objects.get().pk),
        "name": "ཤིང་ཏོག་གཞི་ཁུལ།", "location": None, "language": {"code": "BO"}}]
    assert edges[0]["node"]["location"] == "渑池县果园乡果园村"
    # Another cooperative sees none of this base, nor its translation.
    assert gql_as(other_coop_user).data(BASES, {"lang": "BO"})["bases"]["edges"] == []
