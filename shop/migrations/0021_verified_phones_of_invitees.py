"""Members who accepted an invitation to their mobile number proved it with a texted code
before numbers could sign in: their number becomes the one they sign in with, where it
is theirs alone (one account per number, and never replacing one already verified)."""

from django.db import migrations


def verify_invited_numbers(apps, schema_editor):
    Invitation = apps.get_model("shop", "Invitation")
    User = apps.get_model("shop", "User")
    proved = {}
    for user_id, phone in (Invitation.objects.exclude(phone="")
                           .filter(accepted_by__isnull=False)
                           .values_list("accepted_by_id", "phone")):
        proved.setdefault(phone, set()).add(user_id)
    taken = set(User.objects.filter(verified_phone__isnull=False)
                .values_list("verified_phone", flat=True))
    for phone, users in proved.items():
        if len(users) == 1 and phone not in taken:
            User.objects.filter(pk__in=users, verified_phone__isnull=True,
                                phone=phone).update(verified_phone=phone)


class Migration(migrations.Migration):
    dependencies = [("shop", "0020_take_stock_function")]
    operations = [migrations.RunPython(verify_invited_numbers, migrations.RunPython.noop)]
