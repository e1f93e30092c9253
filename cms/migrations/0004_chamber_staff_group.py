from django.db import migrations

GROUP_NAME = "Chamber staff"

# (app_label, model, codename, default name). Permissions are normally created after all migrations run, so
# each one is fetched or created here with the name Django would give it.
MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("wagtail_localize", "translation", "submit_translation", "Can submit translations"),
    ("exhibitors", "boothapplication", "view_boothapplication", "Can view booth application"),
    ("exhibitors", "boothapplication", "change_boothapplication", "Can change booth application"),
    ("exhibitors", "booth", "change_booth", "Can change booth"),
] + [
    (app_label, model, f"{action}_{model}", f"Can {action} {verbose_name}")
    for app_label, model, verbose_name in [
        ("fair", "hall", "hall"),
        ("fair", "boothpackage", "booth package"),
        ("exhibitors", "sector", "sector"),
        ("exhibitors", "certification", "certification"),
    ]
    for action in ("add", "change", "delete")
]

PAGE_PERMISSIONS = [
    ("add_page", "Can add page"),
    ("change_page", "Can change page"),
    ("publish_page", "Can publish page"),
    ("lock_page", "Can lock page"),
]

COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", f"{action}_image", f"Can {action} image")
    for action in ("add", "change", "delete", "choose")
] + [
    ("wagtaildocs", "document", f"{action}_document", f"Can {action} document")
    for action in ("add", "change", "delete", "choose")
]


def create_chamber_staff_group(apps, schema_editor):
    """The group the chamber's staff join: admin access, the home page subtree, images and documents,
    fair setup, reviewing applications and submitting translations. Safe to run again."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def permission(app_label, model, codename, name):
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        found, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        return found

    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*(permission(*spec) for spec in MODEL_PERMISSIONS))

    site = Site.objects.filter(is_default_site=True).first()
    home = Page.objects.filter(pk=site.root_page_id).first() if site else None
    home = home or Page.objects.filter(depth=2).order_by("path").first()
    if home is not None:
        for codename, name in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission("wagtailcore", "page", codename, name)
            )

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for spec in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(*spec)
            )


def remove_chamber_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_content_locales"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("exhibitors", "0003_booth_fair_links"),
        ("fair", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_chamber_staff_group, remove_chamber_staff_group)]
