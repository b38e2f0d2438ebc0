"""A product's names in English and Tibetan (བོད་ཡིག): its name and description and its
variants' names, shown beside the Chinese original. Writes through
``content.services.translate_product``; the API's ``translation(languageCode:)`` fields
answer what is written here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from content import services as content_services
from content.models import ProductTranslation, ProductVariantTranslation

from .. import selectors
from ..access import member_required
from ..forms import apply_service_errors
from ..nav import crumbs
from ..roles import PRODUCER
from ..translation_forms import LANGUAGE_TABS, TranslationForm
from . import page


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def product_translations(request, pk):
    product = selectors.product(request.organization, pk)
    if product is None:
        raise Http404
    language = request.GET.get("lang", LANGUAGE_TABS[0][0])
    if language not in dict(LANGUAGE_TABS):
        raise Http404
    variants = list(product.variants.all())
    record = ProductTranslation.objects.filter(product=product, language_code=language).first()
    names = dict(ProductVariantTranslation.objects.filter(
        product_variant__product=product, language_code=language).values_list(
        "product_variant_id", "name"))
    initial = {"name": record.name if record else "",
               "description": record.description if record else "",
               **{f"variant_{v.pk}": names.get(v.pk, "") for v in variants}}
    form = TranslationForm(request.POST or None, initial=initial, language=language,
                           variants=variants)
    if request.method == "POST" and form.is_valid():
        try:
            content_services.translate_product(
                request.organization, product, language, name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                variant_names=form.variant_names())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(language)s saved. Shoppers reading that language "
                                        "see it; where it is empty they see the Chinese.")
                             % {"language": dict(LANGUAGE_TABS)[language]})
            return redirect(f"{request.path}?lang={language}")
    return page(request, "workbench/products/translations.html", {
        "product": product, "form": form, "language": language, "tabs": LANGUAGE_TABS,
        "language_name": dict(LANGUAGE_TABS)[language],
    }, crumbs=crumbs((_("Products"), reverse("workbench:products")),
                     (product.name, reverse("workbench:product", args=[product.pk])),
                     (_("Translations"), None)), status=400 if form.errors else 200)
