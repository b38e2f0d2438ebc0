"""The pavilion's story pages for shoppers: their list (``/page/``, linked from every page's
footer) and each page (``/page/<address>/``): the brand story and the counties' origin
stories the operators write on the workbench, in the page's language where
a translation gives it (its own address too, as ``/page/our-story/`` for the English brand
story), in Chinese otherwise. A hidden page is not found."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.models import Page, PageTranslation
from content.translated import page_language


def _find(slug: str, language: str | None) -> tuple[Page, PageTranslation | None]:
    published = Page.objects.filter(is_published=True)
    story = published.filter(slug=slug).first()
    if story is None:
        record = (PageTranslation.objects.filter(slug=slug, page__in=published)
                  .select_related("page").first())
        if record is None:
            raise Http404
        story = record.page
    record = None
    if language:
        record = PageTranslation.objects.filter(page=story, language_code=language).filter(
            ~Q(title="") | ~Q(content="")).first()
    return story, record


@require_GET
def page_list(request):
    language = page_language()
    stories = list(Page.objects.filter(is_published=True).order_by("slug").only("title", "slug"))
    titles = {}
    if language:
        titles = {record.page_id: record.title for record in PageTranslation.objects.filter(
            page__in=stories, language_code=language).exclude(title="")}
    return render(request, "storefront/content_pages.html", {
        "stories": [(story.slug, titles.get(story.pk, story.title)) for story in stories]})


@require_GET
def content_page(request, slug):
    language = page_language()
    story, record = _find(slug, language)
    title = (record and record.title) or story.title
    content = (record and record.content) or story.content
    return render(request, "storefront/content_page.html", {
        "story": story, "title": title,
        "paragraphs": [p.strip() for p in content.split("\n\n") if p.strip()],
        "translated": bool(record),
        "seo_title": (record and record.seo_title) or (None if record else story.seo_title),
        "seo_description": (record and record.seo_description) or story.seo_description,
    })
