"""The pavilion operator's story pages (品牌故事, 产地故事): the list, writing a new one,
changing one with its English and Tibetan texts, and removing one. Writes go through
``content.services``; shoppers read a published page at ``/page/<address>/``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content import services
from content.models import LANGUAGES, Page, PageTranslation

from ..access import member_required
from ..forms import apply_service_errors
from ..nav import crumbs
from ..operator_forms import PageTranslationForm, StoryPageForm
from ..roles import OPERATOR
from . import page

LANGUAGE_NAMES = dict(LANGUAGES)


def _list_crumb():
    return (_("Story pages"), reverse("workbench:ops-pages"))


@require_GET
@member_required(OPERATOR)
def page_list(request):
    pages = Page.objects.order_by("-is_published", "slug").only(
        "title", "slug", "is_published")
    return page(request, "workbench/ops/pages.html", {"pages": pages},
                crumbs=crumbs((_("Story pages"), None)))


def _save(story, form):
    """Save ``form`` onto ``story`` (``None``: a new page); the saved page, or ``None``
    with the service's errors put on the form."""
    if not form.is_valid():
        return None
    try:
        return services.save_page(story, **form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def page_new(request):
    form = StoryPageForm(request.POST or None)
    if request.method == "POST":
        story = _save(None, form)
        if story is not None:
            messages.success(request, _("Page %(title)s is saved.") % {"title": story.title})
            return redirect("workbench:ops-page", pk=story.pk)
    return page(request, "workbench/ops/page_form.html", {"form": form, "story": None},
                crumbs=crumbs(_list_crumb(), (_("New page"), None)),
                status=400 if form.errors else 200)


def _edit_page(request, story, *, form=None, forms=None, status=200):
    records = {record.language_code: record
               for record in PageTranslation.objects.filter(page=story)}
    translations = []
    for code in services.TRANSLATED_LANGUAGES:
        record = records.get(code)
        bound = (forms or {}).get(code) or PageTranslationForm(
            prefix=code, initial={"title": getattr(record, "title", ""),
                                  "content": getattr(record, "content", "")})
        translations.append((code, LANGUAGE_NAMES[code], bound))
    return page(request, "workbench/ops/page_form.html", {
        "story": story, "translations": translations,
        "form": form or StoryPageForm(initial={
            field: getattr(story, field) for field in StoryPageForm.base_fields}),
    }, crumbs=crumbs(_list_crumb(), (story.title, None)), status=status)


@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def page_edit(request, pk):
    """The page's Chinese text (the main form) or, with ``language``, one translation."""
    story = get_object_or_404(Page, pk=pk)
    if request.method == "GET":
        return _edit_page(request, story)
    language = request.POST.get("language")
    if language is None:
        form = StoryPageForm(request.POST)
        if _save(story, form) is not None:
            messages.success(request, _("Page %(title)s is saved.") % {"title": story.title})
            return redirect("workbench:ops-page", pk=story.pk)
        return _edit_page(request, story, form=form, status=400)
    if language not in services.TRANSLATED_LANGUAGES:
        messages.error(request, _("Translations are kept in English and Tibetan; the "
                                  "original is in Chinese."))
        return redirect("workbench:ops-page", pk=story.pk)
    form = PageTranslationForm(request.POST, prefix=language)
    if form.is_valid():
        try:
            services.translate_page(story, language, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The %(language)s text is saved.")
                             % {"language": LANGUAGE_NAMES[language]})
            return redirect("workbench:ops-page", pk=story.pk)
    return _edit_page(request, story, forms={language: form}, status=400)


@require_POST
@member_required(OPERATOR)
def page_delete(request, pk):
    story = get_object_or_404(Page, pk=pk)
    services.delete_page(story)
    messages.success(request, _("Page %(title)s is removed.") % {"title": story.title})
    return redirect("workbench:ops-pages")
