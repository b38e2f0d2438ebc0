"""The operators' story pages (品牌故事, 产地故事) at /work/ops/pages/, through the pages:
writing one, its English and Tibetan texts, hiding and removing it; and the shopper reading
it at /page/<address>/ in the language of the page. Only the operators may write them."""

from __future__ import annotations

import pytest
from django.test import Client

from content.models import Menu, MenuItem, Page, PageTranslation
from shop.models import User
from tests.clients import signed_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STORY = "五个县的特产汇聚一馆。\n\n每件商品扫码可追溯到地块与批次。"


def write(client, **values):
    data = {"title": "品牌故事", "content": STORY, "slug": "", "seo_title": "",
            "seo_description": "", "is_published": "on", **values}
    return client.post("/work/ops/pages/new/", data)


def test_the_operator_writes_a_story_and_the_shopper_reads_it(operator_client, channel):
    response = write(operator_client)
    story = Page.objects.get()
    assert response["Location"] == f"/work/ops/pages/{story.pk}/"
    assert story.slug == "品牌故事" and story.is_published

    listing = operator_client.get("/work/ops/pages/").content.decode()
    assert "品牌故事" in listing and "在商城展示" in listing

    shopper = Client()
    assert "品牌故事" in shopper.get("/page/").content.decode()
    page = shopper.get(f"/page/{story.slug}/").content.decode()
    assert "<h1>品牌故事</h1>" in page
    assert "<p>五个县的特产汇聚一馆。</p>" in page
    assert "<p>每件商品扫码可追溯到地块与批次。</p>" in page
    # Every shop page's footer leads to the stories.
    assert 'href="/page/"' in shopper.get("/").content.decode()


def test_a_story_in_english_and_tibetan_and_chinese_where_none_is_given(operator_client):
    write(operator_client, slug="brand-story")
    story = Page.objects.get()
    url = f"/work/ops/pages/{story.pk}/"
    response = operator_client.post(url, {"language": "en", "en-title": "Our story",
                                          "en-content": "Five counties, one pavilion."})
    assert response["Location"] == url
    assert PageTranslation.objects.get(page=story, language_code="en").title == "Our story"
    assert "Our story" in operator_client.get(url).content.decode()

    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["django_language"] = "en"
    page = english.get("/page/brand-story/").content.decode()
    assert "<h1>Our story</h1>" in page and "Five counties, one pavilion." in page
    assert "Our story" in english.get("/page/").content.decode()

    tibetan = Client()
    tibetan.cookies["django_language"] = "bo"
    assert "<h1>品牌故事</h1>" in tibetan.get("/page/brand-story/").content.decode()

    # Emptying both texts removes the translation: English readers see the Chinese again.
    operator_client.post(url, {"language": "en", "en-title": "", "en-content": ""})
    assert not PageTranslation.objects.exists()
    assert "<h1>品牌故事</h1>" in english.get("/page/brand-story/").content.decode()


def test_bad_input_is_refused_with_the_typed_text_kept(operator_client):
    response = write(operator_client, title="  ")
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    write(operator_client, slug="brand-story")
    response = write(operator_client, title="另一个故事", content="保留的文字", slug="brand-story")
    body = response.content.decode()
    assert response.status_code == 400 and "另一个页面已在使用这个地址" in body
    assert "保留的文字" in body
    response = write(operator_client, title="故事", slug="a b/c")
    assert response.status_code == 400
    response = write(operator_client, title="故事", content="坏\x00字")
    assert response.status_code == 400
    assert Page.objects.count() == 1
    story = Page.objects.get()
    response = operator_client.post(f"/work/ops/pages/{story.pk}/",
                                    {"language": "fr", "fr-title": "Histoire"})
    assert response.status_code == 302 and not PageTranslation.objects.exists()


def test_a_hidden_or_removed_page_is_not_found(operator_client):
    write(operator_client, slug="brand-story")
    story = Page.objects.get()
    menu = Menu.objects.create(name="主导航", slug="navbar")
    MenuItem.objects.create(menu=menu, name="品牌故事", page=story)
    url = f"/work/ops/pages/{story.pk}/"
    operator_client.post(url, {"title": "品牌故事", "content": STORY, "slug": "brand-story",
                               "seo_title": "", "seo_description": ""})
    story.refresh_from_db()
    assert not story.is_published
    assert Client().get("/page/brand-story/").status_code == 404
    assert "品牌故事" not in Client().get("/page/").content.decode()
    assert "未展示" in operator_client.get("/work/ops/pages/").content.decode()

    assert operator_client.post(f"{url}delete/")["Location"] == "/work/ops/pages/"
    assert not Page.objects.exists() and not MenuItem.objects.exists()


def test_only_the_operators_write_pages(operator_client, coop_user, authority_user):
    write(operator_client, slug="brand-story")
    story = Page.objects.get()
    urls = ["/work/ops/pages/", "/work/ops/pages/new/", f"/work/ops/pages/{story.pk}/"]
    posts = [("/work/ops/pages/new/", {"title": "假故事"}),
             (f"/work/ops/pages/{story.pk}/", {"title": "改掉", "is_published": ""}),
             (f"/work/ops/pages/{story.pk}/", {"language": "en", "en-title": "x"}),
             (f"/work/ops/pages/{story.pk}/delete/", {})]
    for url in urls:
        assert Client().get(url)["Location"].startswith(f"/account/sign-in/?next={url}")
    shopper = User.objects.create_user("reader@example.com", PASSWORD)
    for user in (coop_user, authority_user, shopper):
        client = signed_in(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (user, url)
    story.refresh_from_db()
    assert story.title == "品牌故事" and story.is_published
    assert Page.objects.count() == 1 and not PageTranslation.objects.exists()
