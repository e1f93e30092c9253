"""Links to pages that keep the visitor in the language they are reading, and which language a page's content
is in.

A page not yet translated (or whose translation is still a draft) is served under every language prefix from
its original (cms.models.HomePage.route), so a Spanish visitor is linked to /es/<page>/ rather than sent to
the English site by the original page's own URL.
"""

from urllib.parse import urlsplit

from django import template
from django.urls import translate_url
from django.utils import translation
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import pageurl

from cms.templatetags.feria_format import babel_locale

register = template.Library()


def url_in_current_language(url: str) -> str:
    """The same page's URL under the active language's prefix (unchanged when it already has it)."""
    current = translation.get_language()
    language = translation.get_language_from_path(urlsplit(url).path) if url else None
    if not language or not current or language == current:
        return url
    # translate_url resolves in the active language, so resolve in the URL's own one.
    with translation.override(language):
        return translate_url(url, current)


@register.simple_tag(takes_context=True)
def localpageurl(context, page) -> str:
    """Like Wagtail's pageurl, under the language being read."""
    return url_in_current_language(pageurl(context, page))


@register.simple_tag(takes_context=True)
def localroutablepageurl(context, page, url_name, *args, **kwargs) -> str:
    """Like Wagtail's routablepageurl, under the language being read."""
    return url_in_current_language(routablepageurl(context, page, url_name, *args, **kwargs))


def page_content_language(page: Page) -> str:
    """The language code a page's content is written in: an alias shows the content of the page it mirrors.

    Read from the language trees' root paths, which Wagtail caches (and reads anyway to make the page's
    links), so a page view costs no query for it; an alias costs one."""
    if page.alias_of_id:
        page = Page.objects.only("url_path", "locale").get(pk=page.alias_of_id)
    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            return root.language_code
    return page.locale.language_code


@register.simple_tag(takes_context=True)
def content_language(context) -> str:
    """The language of the page's content when it is not the one being read (an untranslated page shown from
    its original), else ""."""
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    code = page_content_language(page)
    return "" if code == translation.get_language() else code


@register.simple_tag
def language_name(code: str) -> str:
    """A language's name in the active language, as written mid-sentence ("inglés" when reading Spanish)."""
    return babel_locale().languages.get(code) or translation.get_language_info(code)["name_translated"]
