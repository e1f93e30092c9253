"""The few image sizes pages show. Every template asks for one of these by name
(`{% feria_image img "card" %}`), so the public pages and the dashboards share renditions; the settings
turn them into WebP."""

RENDITIONS: dict[str, str] = {
    "logo": "fill-160x160",
    "card": "fill-480x360",
    "gallery": "max-1200x900",
    "cover": "fill-1200x400",
    "thumb": "fill-160x120",
}


def rendition_spec(name: str) -> str:
    """The Wagtail filter spec for a named size; an unknown name is a programming error."""
    return RENDITIONS[name]
