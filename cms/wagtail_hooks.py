"""Wagtail finds this module in every app; the site's own admin hooks live in cms/admin/, whose modules
register their hooks when imported."""

from wagtail import hooks as wagtail_hooks

from cms.admin import hooks  # noqa: F401
from exhibitors.cache_tags import depends_on, tag_page


@wagtail_hooks.register("before_serve_page")
def _page_cache_depends_on_page(page, request, serve_args, serve_kwargs):
    # A Wagtail page (and its routes) shows its own content: published again, it is rendered again.
    depends_on(tag_page(page.translation_key))
