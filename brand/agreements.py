"""品牌使用许可合同: the licence agreement between the brand authority (licensor) and the
licensee, drawn as an A4 PDF with reportlab from the licence's own terms (scope, grades,
term, label quota, the collective trademark) and the obligations every licensee accepts.
The counties' tenders ask for it beside the certificate; unlike the certificate it is
not public (``brand.views.agreement`` lets only the two parties and operators read it)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from .certificates import FONT, register_font
from .models import Licence
from .services.quotas import REPORT_DUE

MARGIN = 22 * mm


def _clauses(licence: Licence) -> list[str]:
    brand = licence.brand
    return [
        _("The licensor permits the licensee to use the collective trademark %(brand)s on the "
          "goods within the scope above, of the grades above, during the term above; the "
          "licence cannot be transferred or sub-licensed.") % {"brand": brand.name},
        _("Goods carrying the brand meet the brand's grade standards; each lot is inspected "
          "and every package carries its trace code, so that it can be traced and recalled."),
        _("Brand labels are used within the annual quota of %(quota)s and booked on the "
          "platform when they are printed; labels are never given to others.")
        % {"quota": licence.annual_label_quota},
        _("Each year, by %(month)s/%(day)s, the licensee reports what it sold under the "
          "brand in the previous year: kilograms, sales and labels used.")
        % {"month": REPORT_DUE[0], "day": REPORT_DUE[1]},
        _("The licensor inspects the use of the brand and its labels. A violation may lead "
          "to a warning, a suspension or a revocation; a revocation is publicly noticed and "
          "ends the use of the brand at once."),
        _("The licence may be renewed on the licensee's request before it ends; it ends "
          "without notice at the end of its term otherwise."),
    ]


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Chinese has no spaces to break at: break wherever the line is full."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line else lines


def agreement_pdf(licence: Licence) -> bytes:
    register_font()
    licence = Licence.objects.select_related("brand", "brand__authority", "licensee") \
        .prefetch_related("categories", "products").get(pk=licence.pk)
    brand = licence.brand
    width, height = A4
    text_width = width - 2 * MARGIN
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{brand.name} {licence.number}")
    pdf.setAuthor(brand.authority.name)
    y = height - 30 * mm

    def write(text, size=11, gap=2.2 * mm, indent=0):
        nonlocal y
        pdf.setFont(FONT, size)
        for line in _wrap(text, size, text_width - indent):
            if y < 25 * mm:
                pdf.showPage()
                pdf.setFont(FONT, size)
                y = height - 25 * mm
            pdf.drawString(MARGIN + indent, y, line)
            y -= size * 0.5 * mm + 3 * mm
        y -= gap

    pdf.setFont(FONT, 20)
    pdf.drawCentredString(width / 2, y, _("Regional brand licence agreement"))
    y -= 10 * mm
    pdf.setFont(FONT, 11)
    pdf.drawCentredString(width / 2, y, _("Agreement number: %(number)s")
                          % {"number": licence.number})
    y -= 12 * mm
    scope = "、".join([c.name for c in licence.categories.all()]
                     + [p.name for p in licence.products.all()])
    for label, value in (
            (_("Licensor"), brand.authority.name),
            (_("Licensee (party)"), licence.licensee.name),
            (_("Regional brand"), brand.name),
            (_("Collective trademark"), brand.trademark_number or "-"),
            (_("Scope"), scope or "-"),
            (_("Grades"), licence.grades or "-"),
            (_("Term"), f"{licence.valid_from.isoformat()} — {licence.valid_until.isoformat()}"),
            (_("Annual label quota"), str(licence.annual_label_quota))):
        write(f"{label}：{value}", gap=0)
    y -= 4 * mm
    for number, clause in enumerate(_clauses(licence), start=1):
        write(f"{number}. {clause}", indent=0)
    y -= 8 * mm
    granted = timezone.localtime(licence.granted_at).strftime("%Y-%m-%d")
    write(_("Licensor (seal): %(name)s") % {"name": brand.authority.name}, gap=0)
    write(_("Licensee (seal): %(name)s") % {"name": licence.licensee.name}, gap=0)
    write(_("Signed on %(date)s") % {"date": granted})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
