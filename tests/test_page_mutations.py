"""Saleor's page mutations (``pageCreate``, ``pageUpdate``, ``pageDelete``,
``pageTranslate``) through the real ``/graphql/`` view: an operator writes a story page
with EditorJS text, changes and translates it, and shoppers read it through ``page`` and on
the shop's page; bad input gets field errors and changes nothing; everyone but the
operators is refused."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from content.models import Page, PageTranslation
from shop.models import Organization, User
from tests.clients import refused
from tests.factories import PASSWORD, gid, make_member, make_org

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
CREATE = f"""mutation($input: PageCreateInput!) {{ pageCreate(input: $input) {{
  page {{ id title slug isPublished content seoTitle }} {ERRORS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: PageInput!) {{ pageUpdate(id: $id, input: $input) {{
  page {{ title slug isPublished content }} {ERRORS} }} }}"""
DELETE = f"""mutation($id: ID!) {{ pageDelete(id: $id) {{ page {{ id title }} {ERRORS} }} }}"""
TRANSLATE = f"""mutation($id: ID!, $lang: LanguageCodeEnum!, $input: PageTranslationInput!) {{
  pageTranslate(id: $id, languageCode: $lang, input: $input) {{
    page {{ translation(languageCode: $lang) {{ title content }} }} {ERRORS} }} }}"""
READ = """query($slug: String!) { page(slug: $slug) { title content } }"""


def editorjs(*paragraphs) -> str:
    return json.dumps({"blocks": [{"type": "paragraph", "data": {"text": p}}
                                  for p in paragraphs]})


def test_an_operator_writes_changes_translates_and_removes_a_story(gql_as, gql,
                                                                    operator_user):
    operator = gql_as(operator_user)
    payload = operator.data(CREATE, {"input": {
        "title": "品牌故事", "slug": "brand-story",
        "content": editorjs("五个县的特产汇聚一馆。", "扫码可追溯。"),
        "seo": {"title": "品牌故事 · 特色馆"}}})["pageCreate"]
    assert payload["errors"] == []
    page = payload["page"]
    assert page["isPublished"] and page["seoTitle"] == "品牌故事 · 特色馆"
    assert [b["data"]["text"] for b in json.loads(page["content"])["blocks"]] == [
        "五个县的特产汇聚一馆。", "扫码可追溯。"]
    assert Page.objects.get().content == "五个县的特产汇聚一馆。\n\n扫码可追溯。"
    shop_page = Client().get("/page/brand-story/").content.decode()
    assert "<p>五个县的特产汇聚一馆。</p>" in shop_page and "<p>扫码可追溯。</p>" in shop_page

    payload = operator.data(UPDATE, {"id": page["id"], "input": {"title": "我们的故事"}})
    assert payload["pageUpdate"]["errors"] == []
    assert payload["pageUpdate"]["page"]["slug"] == "brand-story"  # not given: kept
    assert gql.data(READ, {"slug": "brand-story"})["page"]["title"] == "我们的故事"

    payload = operator.data(TRANSLATE, {"id": page["id"], "lang": "EN", "input": {
        "title": "Our story", "content": editorjs("Five counties.")}})["pageTranslate"]
    assert payload["errors"] == []
    assert payload["page"]["translation"]["title"] == "Our story"
    assert PageTranslation.objects.get().content == "Five counties."

    operator.data(UPDATE, {"id": page["id"], "input": {"isPublished": False}})
    assert gql.data(READ, {"slug": "brand-story"})["page"] is None
    assert Client().get("/page/brand-story/").status_code == 404

    payload = operator.data(DELETE, {"id": page["id"]})["pageDelete"]
    assert payload["errors"] == [] and payload["page"]["title"] == "我们的故事"
    assert not Page.objects.exists() and not PageTranslation.objects.exists()


def test_bad_input_gets_field_errors_and_changes_nothing(gql_as, operator_user):
    operator = gql_as(operator_user)
    operator.data(CREATE, {"input": {"title": "品牌故事", "slug": "brand-story"}})
    cases = [
        ({"title": " "}, "title", "REQUIRED"),
        ({"title": "另一个", "slug": "brand-story"}, "slug", "UNIQUE"),
        ({"title": "另一个", "slug": "a b/c"}, "slug", "INVALID"),
        ({"title": "x" * 251}, "title", "INVALID"),
        ({"title": "坏\u0000字"}, "title", "INVALID"),
    ]
    for data, field, code in cases:
        errors = operator.data(CREATE, {"input": data})["pageCreate"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], data
        assert errors[0]["message"]
    assert Page.objects.count() == 1
    story = Page.objects.get()
    errors = operator.data(TRANSLATE, {"id": gid("Page", story.pk), "lang": "ZH_HANS",
                                       "input": {"title": "中文"}})["pageTranslate"]["errors"]
    assert [e["field"] for e in errors] == ["languageCode"]
    errors = operator.data(UPDATE, {"id": gid("Page", 999999), "input": {"title": "x"}})[
        "pageUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("id", "NOT_FOUND")]
    assert not PageTranslation.objects.exists()


def test_only_the_operators_write_pages(gql_as, gql, operator_user, coop_user):
    authority_user = make_member(make_org("渑池县农产品区域公用品牌管理办公室", "brand-office",
                                          Organization.Kind.BRAND_AUTHORITY),
                                 "reviewer@example.com")
    gql_as(operator_user).data(CREATE, {"input": {"title": "品牌故事", "slug": "brand-story"}})
    story = Page.objects.get()
    page_id = gid("Page", story.pk)
    shopper = User.objects.create_user("reader@example.com", PASSWORD)
    requests = [
        (CREATE, {"input": {"title": "假故事"}}),
        (UPDATE, {"id": page_id, "input": {"title": "改掉", "isPublished": False}}),
        (TRANSLATE, {"id": page_id, "lang": "EN", "input": {"title": "Fake"}}),
        (DELETE, {"id": page_id}),
    ]
    for client in (gql, gql_as(coop_user), gql_as(authority_user), gql_as(shopper)):
        for document, variables in requests:
            assert refused(client.post(document, variables)), (client, document)
    story.refresh_from_db()
    assert (story.title, story.is_published) == ("品牌故事", True)
    assert Page.objects.count() == 1 and not PageTranslation.objects.exists()
