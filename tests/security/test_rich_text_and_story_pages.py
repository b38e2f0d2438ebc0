"""Rich text as a Saleor storefront reads it, and the story pages as an outsider probes them.

A Saleor client puts each EditorJS block's ``data.text`` into the page as HTML (that is
what EditorJS's text is): a seller's product description or an operator's story page
holding ``<img onerror>``, ``<script>`` or a ``javascript:`` link must come back as text
a browser shows, not markup it runs. The text a Saleor dashboard sends is EditorJS's HTML
too, so ``&amp;`` written there reads ``&`` in the shop and comes back unchanged.

Story pages: a hidden page is found by nobody outside the operators (by address, by its
English address, by ``node``/``page(id:)``, in ``pages``, through a menu), and an address
with path tricks is refused."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from content.models import Menu, MenuItem, Page, PageTranslation, PageType
from tests.factories import gid

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
HOSTILE = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>',
           '<a href="javascript:alert(3)">看这里</a>', '"><svg onload=alert(4)>']


def editorjs(*texts) -> str:
    return json.dumps({"time": 1, "version": "2.28.0", "blocks": [
        {"id": str(i), "type": "paragraph", "data": {"text": text}}
        for i, text in enumerate(texts)]})


def block_texts(content: str | None) -> list[str]:
    return [block["data"]["text"] for block in json.loads(content)["blocks"]]


def assert_inert(texts: list[str], where: str):
    """Block texts a browser shows as text: no tag, no attribute can open."""
    assert texts, where
    for text in texts:
        assert "<" not in text and ">" not in text and '"' not in text, (where, text)


def test_a_sellers_description_reaches_a_saleor_client_as_text(gql_as, gql, coop_user,
                                                                persimmon):
    updated = gql_as(coop_user).data(f"""mutation($id: ID!, $input: ProductInput!) {{
      productUpdate(id: $id, input: $input) {{ {ERRORS} }} }}""", {
        "id": gid("Product", persimmon.pk), "input": {"description": editorjs(*HOSTILE)}})
    assert updated["productUpdate"]["errors"] == []
    product = gql.data("""query($slug: String!) { product(slug: $slug, channel: "default") {
      description } }""", {"slug": persimmon.slug})["product"]
    assert_inert(block_texts(product["description"]), "description")
    translated = gql_as(coop_user).data(f"""mutation($id: ID!, $input: TranslationInput!) {{
      productTranslate(id: $id, languageCode: EN, input: $input) {{ {ERRORS} }} }}""", {
        "id": gid("Product", persimmon.pk), "input": {"description": editorjs(*HOSTILE)}})
    assert translated["productTranslate"]["errors"] == []
    english = gql.data("""query($slug: String!) { product(slug: $slug, channel: "default") {
      translation(languageCode: EN) { description } } }""", {"slug": persimmon.slug})
    assert_inert(block_texts(english["product"]["translation"]["description"]), "translation")


def test_a_story_page_reaches_a_saleor_client_as_text(gql_as, gql, operator_user):
    created = gql_as(operator_user).data(f"""mutation($input: PageCreateInput!) {{
      pageCreate(input: $input) {{ page {{ id }} {ERRORS} }} }}""", {
        "input": {"title": "品牌故事", "slug": "brand-story", "content": editorjs(*HOSTILE)}})
    assert created["pageCreate"]["errors"] == []
    page = gql.data('{ page(slug: "brand-story") { content } }')["page"]
    assert_inert(block_texts(page["content"]), "page content")
    shop_page = Client().get("/page/brand-story/").content.decode()
    assert "<img src=x" not in shop_page and "<script>alert" not in shop_page
    assert 'href="javascript:' not in shop_page


def test_editorjs_entities_and_inline_tags_are_the_text_they_stand_for(gql_as, gql,
                                                                        operator_user):
    operator = gql_as(operator_user)
    operator.data(f"""mutation($input: PageCreateInput!) {{
      pageCreate(input: $input) {{ {ERRORS} }} }}""", {"input": {
        "title": "产地故事", "slug": "origin",
        "content": editorjs("核桃 &amp; 柿饼 <b>好</b>", "1 &lt; 2")}})
    assert Page.objects.get().content == "核桃 & 柿饼 好\n\n1 < 2"
    content = gql.data('{ page(slug: "origin") { content } }')["page"]["content"]
    assert block_texts(content) == ["核桃 &amp; 柿饼 好", "1 &lt; 2"]
    # Saved back as read, it stays the same text.
    page_id = gid("Page", Page.objects.get().pk)
    operator.data(f"""mutation($id: ID!, $input: PageInput!) {{
      pageUpdate(id: $id, input: $input) {{ {ERRORS} }} }}""",
                  {"id": page_id, "input": {"content": content}})
    assert Page.objects.get().content == "核桃 & 柿饼 好\n\n1 < 2"


@pytest.fixture
def hidden_story(db):
    page_type = PageType.objects.create(name="故事", slug="story")
    story = Page.objects.create(page_type=page_type, title="未发布的故事", slug="draft-story",
                                content="内部草稿", is_published=False)
    PageTranslation.objects.create(page=story, language_code="en", title="Draft",
                                   slug="draft-en", content="internal draft")
    menu = Menu.objects.create(name="页脚", slug="footer")
    MenuItem.objects.create(menu=menu, name="草稿", page=story)
    return story


def test_a_hidden_story_is_found_by_no_outsider(gql, gql_as, coop_user, hidden_story):
    for url in ("/page/draft-story/", "/page/draft-en/"):
        assert Client().get(url).status_code == 404, url
    assert "未发布的故事" not in Client().get("/page/").content.decode()
    story_id = gid("Page", hidden_story.pk)
    for client in (gql, gql_as(coop_user)):
        data = client.data("""query($id: ID!) {
          node(id: $id) { id } page(id: $id) { title } bySlug: page(slug: "draft-story") { title }
          pages(first: 10) { edges { node { title } } }
          menu(slug: "footer") { items { name page { title } } } }""", {"id": story_id})
        assert data["node"] is None and data["page"] is None and data["bySlug"] is None
        assert data["pages"]["edges"] == []
        assert [item["page"] for item in data["menu"]["items"]] == [None]


@pytest.mark.parametrize("slug", ["../admin", "..", "a/b", "%2e%2e", "a%2Fb", "a\\b",
                                  "admin/", " brand ", "a\u202eb", "<x>"])
def test_a_story_address_with_path_tricks_is_refused(gql_as, operator_user, slug):
    result = gql_as(operator_user).data(f"""mutation($input: PageCreateInput!) {{
      pageCreate(input: $input) {{ page {{ slug }} {ERRORS} }} }}""",
                                        {"input": {"title": "故事", "slug": slug}})["pageCreate"]
    if result["errors"]:
        assert [e["field"] for e in result["errors"]] == ["slug"], slug
        assert not Page.objects.exists()
    else:
        # Only an address that is already a plain slug (trimmed) is taken as it is.
        assert result["page"]["slug"] == slug.strip(), slug
        assert "/" not in result["page"]["slug"] and "." not in result["page"]["slug"]
