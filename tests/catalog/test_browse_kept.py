"""What the browse query keeps between requests (the channel named, the page's compiled
SQL) never outlives the change it depends on: through the real /graphql/ view."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.core import context
from catalog.models import Category, ProductChannelListing
from shop.models import Channel
from tests.factories import make_product

pytestmark = pytest.mark.django_db

BROWSE = """
query Browse($channel: String, $sortBy: ProductOrder) {
  products(first: 20, channel: $channel, sortBy: $sortBy) {
    edges { cursor node {
      id name slug
      category { slug }
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { priceRange { start { gross { amount currency } } } }
      variants { sku pricing { price { gross { amount } } } }
    } }
  }
}
"""


def slugs(result):
    return [edge["node"]["slug"] for edge in result["data"]["products"]["edges"]]


@pytest.fixture
def millet(coop, product_type, category, channel):
    return make_product(coop, product_type, category, channel, "仰韶小米", "yangshao-millet",
                        ["25.00"])


def listing(product, channel):
    return ProductChannelListing.objects.get(product=product, channel=channel)


def test_a_deactivated_channel_is_refused_on_the_next_request(gql, persimmon, channel):
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == ["mianchi-shibing"]
    channel.is_active = False
    channel.save()
    result = gql.post(BROWSE, {"channel": "default"})
    assert result["data"]["products"] is None
    assert result["errors"][0]["message"] == "Channel with 'default' slug does not exist."
    channel.is_active = True
    channel.save()
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == ["mianchi-shibing"]


def test_a_renamed_channel_answers_by_its_new_slug_only(gql, persimmon, channel):
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == ["mianchi-shibing"]
    channel.slug = "county"
    channel.save()
    refused = gql.post(BROWSE, {"channel": "default"})
    assert refused["errors"][0]["message"] == "Channel with 'default' slug does not exist."
    assert slugs(gql.post(BROWSE, {"channel": "county"})) == ["mianchi-shibing"]


def test_a_channel_created_after_a_refusal_is_found(gql, persimmon):
    refused = gql.post(BROWSE, {"channel": "spring-fair"})
    assert refused["errors"][0]["message"] == "Channel with 'spring-fair' slug does not exist."
    Channel.objects.create(slug="spring-fair", name="春季展销", currency_code="CNY")
    assert slugs(gql.post(BROWSE, {"channel": "spring-fair"})) == []


def test_unpublishing_or_unlisting_hides_a_product_on_the_next_page(gql, persimmon, millet,
                                                                    channel):
    assert slugs(gql.post(BROWSE)) == ["yangshao-millet", "mianchi-shibing"]
    unpublished = listing(millet, channel)
    unpublished.is_published = False
    unpublished.save()
    assert slugs(gql.post(BROWSE)) == ["mianchi-shibing"]
    unlisted = listing(persimmon, channel)
    unlisted.visible_in_listings = False
    unlisted.save()
    assert slugs(gql.post(BROWSE)) == []


def test_a_scheduled_product_appears_once_its_moment_has_passed(gql, persimmon, millet,
                                                                channel):
    # Scheduled a minute ahead: hidden, while the page's SQL is compiled and kept.
    ProductChannelListing.objects.filter(product=millet, channel=channel).update(
        published_at=timezone.now() + timedelta(minutes=1))
    assert slugs(gql.post(BROWSE)) == ["mianchi-shibing"]
    # Its moment is now past (set without any signal, as time passing sends none): the
    # next page reads the clock again.
    ProductChannelListing.objects.filter(product=millet, channel=channel).update(
        published_at=timezone.now())
    assert slugs(gql.post(BROWSE)) == ["yangshao-millet", "mianchi-shibing"]


def test_each_channel_shows_its_own_listings(gql, persimmon, millet, channel):
    wholesale = Channel.objects.create(slug="wholesale", name="批发", currency_code="CNY")
    ProductChannelListing.objects.create(product=millet, channel=wholesale, is_published=True,
                                         currency="CNY")
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == [
        "yangshao-millet", "mianchi-shibing"]
    assert slugs(gql.post(BROWSE, {"channel": "wholesale"})) == ["yangshao-millet"]
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == [
        "yangshao-millet", "mianchi-shibing"]


def test_the_kept_page_answers_as_the_orm_does(gql, gql_as, persimmon, millet,
                                               other_coop_user):
    """A shopper's page runs the kept SQL; a member's (their cooperative's products may
    be drafts) goes through the ORM: for a member of a cooperative with nothing here,
    both must be the same answer, in every sort."""
    member = gql_as(other_coop_user)
    for sort in (None, {"field": "PRICE", "direction": "DESC"},
                 {"field": "NAME", "direction": "DESC"},
                 {"field": "CREATED_AT", "direction": "ASC"}):
        shopper = gql.post(BROWSE, {"sortBy": sort})
        assert not shopper.get("errors"), shopper["errors"]
        assert shopper == member.post(BROWSE, {"sortBy": sort})
        assert len(slugs(shopper)) == 2
    by_price = gql.post(BROWSE, {"sortBy": {"field": "PRICE", "direction": "DESC"}})
    assert slugs(by_price) == ["mianchi-shibing", "yangshao-millet"]


def test_a_category_or_pavilion_page_lists_its_own_products(gql, persimmon, millet, channel,
                                                            pavilion):
    """Their pages keep their SQL too, one per category or pavilion."""
    other = Category.objects.create(name="杂粮", slug="grains")
    millet.category = other
    millet.save()
    query = """query($slug: String!) {
      category(slug: $slug) { products(first: 10) { edges { node { slug } } } }
      pavilion(slug: "mianchi") { products(first: 10) { edges { node { slug } } } }
    }"""

    def listed(slug):
        data = gql.data(query, {"slug": slug})
        return ([e["node"]["slug"] for e in data["category"]["products"]["edges"]],
                [e["node"]["slug"] for e in data["pavilion"]["products"]["edges"]])

    assert listed("grains") == (["yangshao-millet"], ["mianchi-shibing"])
    assert listed(persimmon.category.slug) == (["mianchi-shibing"], ["mianchi-shibing"])
    assert listed("grains") == (["yangshao-millet"], ["mianchi-shibing"])


def test_a_channel_changed_unseen_is_read_again_after_a_while(gql, persimmon, channel,
                                                              monkeypatch):
    """A change the version never heard of (made in another process without a shared
    cache, here an update() that sends no signal) shows once the kept channel is old."""
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == ["mianchi-shibing"]
    Channel.objects.filter(pk=channel.pk).update(is_active=False)
    assert slugs(gql.post(BROWSE, {"channel": "default"})) == ["mianchi-shibing"]
    monkeypatch.setattr(context, "KEPT_SECONDS", 0)
    refused = gql.post(BROWSE, {"channel": "default"})
    assert refused["errors"][0]["message"] == "Channel with 'default' slug does not exist."
