"""Views of the workbench, one module per area (see the conventions in ``workbench/nav.py``).

``page`` renders a workbench template with what ``workbench/base.html`` needs: the
workspace (organisations, current one, roles), the sections of the navigation and the
breadcrumbs."""

from __future__ import annotations

from django.shortcuts import render

from .. import nav


def page(request, template: str, context: dict | None = None, *, crumbs=None, status=200):
    workspace = request.workspace
    sections = nav.sections_for(workspace.roles)
    context = {
        "workspace": workspace,
        "organization": workspace.current,
        "sections": sections,
        "primary_sections": [s for s in sections if s.primary][:4],
        "crumbs": crumbs or [],
        **(context or {}),
    }
    return render(request, template, context, status=status)
