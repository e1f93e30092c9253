"""Proofs of transfer move out of Wagtail's public documents and images into private storage, and the
chamber's staff may read private files."""

from django.core.files.base import ContentFile
from django.db import migrations
from django.utils.text import slugify

GROUP_NAME = "Chamber staff"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def move_proofs(apps, schema_editor):
    """Copy each proof's file into private storage under a random name, point the proof at it, then delete
    the public Wagtail document or image (and an image's renditions) with their files."""
    BankTransferProof = apps.get_model("payments", "BankTransferProof")
    PrivateFile = apps.get_model("exhibitors", "PrivateFile")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    for proof in BankTransferProof.objects.select_related("attempt__order", "document", "image"):
        public = proof.document or proof.image
        if public is None:
            continue
        is_image = proof.image_id is not None
        order = proof.attempt.order
        extension = public.file.name.rsplit(".", 1)[-1].lower() if "." in public.file.name else "pdf"
        with public.file.open("rb") as source:
            content = source.read()
        stored = PrivateFile(
            name=f"{slugify(f'proof-of-transfer-{order.reference}')[:100]}.{extension}",
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
            size=len(content),
            company_id=order.payer_company_id,
            uploaded_by_id=proof.uploaded_by_id,
        )
        stored.file.save(f"proof.{extension}", ContentFile(content), save=False)
        stored.save()
        proof.file = stored
        proof.document = None
        proof.image = None
        proof.save(update_fields=["file", "document", "image"])
        if is_image:
            for rendition in Rendition.objects.filter(image_id=public.pk):
                rendition.file.delete(save=False)
                rendition.delete()
        public.file.delete(save=False)
        public.delete()


def grant_staff(apps, schema_editor):
    """Chamber staff read every private file (proofs of transfer in the booth-fee screens)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="exhibitors", model="privatefile")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="view_privatefile", defaults={"name": "Can view private file"}
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_bank_proof_private_file"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(move_proofs, migrations.RunPython.noop),
        migrations.RunPython(grant_staff, migrations.RunPython.noop),
    ]
