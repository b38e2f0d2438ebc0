"""What every app's admin shares so that staff cannot do there what the rules forbid through
the API: workflow fields (statuses, dates of a notice, stock, codes) are read-only, records
are created by the services, state changes are admin actions that call the same services
with the same checks, and a field typed in the admin is checked by the service's cleaner."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError


class WorkflowAdmin(admin.ModelAdmin):
    """``workflow_fields`` are shown, never edited; records are neither added nor deleted
    here (the services create them, with their checks and history)."""

    workflow_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.workflow_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def all_fields(model) -> tuple[str, ...]:
    """Every field of ``model`` (many-to-many ones included), for records kept wholly by the
    services."""
    return tuple(f.name for f in [*model._meta.fields, *model._meta.many_to_many])


class ReadOnlyInline(admin.TabularInline):
    """Lines kept by the services, listed with their parent."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.get_fields(request, obj))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def run_service(modeladmin, request, queryset, action, done: str) -> int:
    """Call ``action(obj, user)`` for each selected record, each in its own right: a refusal
    (the service's ValidationError or PermissionDenied) is shown next to the record's name
    and changes nothing; ``done`` (with ``%(count)s``) reports the ones that went through."""
    count = 0
    for obj in queryset:
        try:
            action(obj, request.user)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {'; '.join(error.messages)}",
                                    messages.ERROR)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)
    return count


class ServiceCleanedForm(forms.ModelForm):
    """A model form whose ``service_cleaners`` map fields to the service's own cleaner
    (``cleaner(value) -> value``, raising the service's field error)."""

    service_cleaners: dict = {}

    def clean(self):
        data = super().clean()
        for field, cleaner in self.service_cleaners.items():
            if field not in data:
                continue
            try:
                data[field] = cleaner(data[field])
            except ValidationError as error:
                messages_ = (error.message_dict.get(field, error.messages)
                             if hasattr(error, "error_dict") else error.messages)
                self.add_error(field, messages_)
        return data

