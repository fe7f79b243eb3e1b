"""Link-preview metadata: the canonical address, Open Graph and Twitter card tags of each page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import to_locale

from broadsheet.feeds.jsonld import absolute, iso
from broadsheet.newsroom.models import Article, Image
from broadsheet.newsroom.selectors import Listing

DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class PageMeta:
    """What a page tells link previews and search engines about itself."""

    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    # Type-specific Open Graph properties, e.g. ("article:tag", "Science"), in order.
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def summary(text: str) -> str:
    """Return text as one line of at most DESCRIPTION_MAX characters."""
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_MAX)


def lead_image(image: Image | None) -> tuple[str, int | None, int | None]:
    """Return the preview image's absolute URL and, when known, its size; the 16:9 crop first."""
    if image is None or not image.file:
        return "", None, None
    from broadsheet.newsroom.renditions import crop_urls

    wide = crop_urls(image).get("16x9")
    if wide:
        return absolute(wide), None, None
    return absolute(image.file.url), image.width, image.height


def article_meta(article: Article, *, description: str) -> PageMeta:
    """Return the preview metadata of an article page."""
    image = article.lead_image if article.lead_image_id else None
    url, width, height = lead_image(image)
    extra: list[tuple[str, str]] = []
    published = article.published_at or article.created_at
    extra.append(("article:published_time", iso(published)))
    extra.append(("article:modified_time", iso(max(published, article.updated_at))))
    if article.section is not None:
        extra.append(("article:section", article.section.name))
    extra.extend(("article:tag", tag.name) for tag in article.tags.all())
    extra.extend(
        ("article:author", absolute(byline.author_url))
        for byline in article.bylines.all()
        if byline.author_url
    )
    return PageMeta(
        title=article.headline,
        description=description,
        canonical=settings.SITE_URL + article.get_absolute_url(),
        og_type="article",
        image=url,
        image_alt=image.alt_text if url and image is not None else "",
        image_width=width,
        image_height=height,
        extra=tuple(extra),
    )


def listing_meta(listing: Listing) -> PageMeta:
    """Return the preview metadata of a front, section, tag, author or topic page."""
    site = settings.SITE_NAME
    image, width, height, alt = "", None, None, ""
    og_type = "website"
    if listing.section is not None:
        name, path = listing.section.name, listing.section.get_absolute_url()
        description = listing.section.description or f"{name} news from {site}."
    elif listing.tag is not None:
        name, path = listing.tag.name, listing.tag.get_absolute_url()
        description = f"Articles tagged {name} on {site}."
    elif listing.author is not None:
        author = listing.author
        name, path = author.name, author.get_absolute_url()
        description = author.bio or f"Articles by {name} on {site}."
        og_type = "profile"
        if author.photo_id and author.photo and author.photo.file:
            image, width, height = (
                absolute(author.photo.file.url),
                author.photo.width,
                author.photo.height,
            )
            alt = name
    elif listing.topic is not None:
        name, path = listing.topic.name, listing.topic.get_absolute_url()
        description = listing.topic.description or f"News about {name} from {site}."
    else:
        return PageMeta(
            title=site,
            description=f"The latest news from {site}.",
            canonical=_paged(settings.SITE_URL + "/", listing),
        )
    return PageMeta(
        title=f"{name} · {site}",
        description=summary(description),
        canonical=_paged(settings.SITE_URL + path, listing),
        og_type=og_type,
        image=image,
        image_alt=alt,
        image_width=width,
        image_height=height,
    )


def _paged(url: str, listing: Listing) -> str:
    """Return a list's address on its page: later pages are pages of their own."""
    number = listing.page.number
    return f"{url}?page={number}" if number > 1 else url


def meta_tags(meta: PageMeta) -> SafeString:
    """Return the canonical link, the description and the Open Graph and Twitter card tags."""
    og: list[tuple[str, str]] = [
        ("og:type", meta.og_type),
        ("og:site_name", settings.SITE_NAME),
        ("og:locale", to_locale(settings.LANGUAGE_CODE)),
        ("og:title", meta.title),
        ("og:description", meta.description),
        ("og:url", meta.canonical),
    ]
    twitter: list[tuple[str, str]] = [
        ("twitter:card", "summary_large_image" if meta.image else "summary"),
        ("twitter:title", meta.title),
        ("twitter:description", meta.description),
    ]
    if meta.image:
        og.append(("og:image", meta.image))
        if meta.image_width and meta.image_height:
            og.append(("og:image:width", str(meta.image_width)))
            og.append(("og:image:height", str(meta.image_height)))
        twitter.append(("twitter:image", meta.image))
        if meta.image_alt:
            og.append(("og:image:alt", meta.image_alt))
            twitter.append(("twitter:image:alt", meta.image_alt))
    og.extend(meta.extra)
    return format_html(
        '<meta name="description" content="{}">\n<link rel="canonical" href="{}">\n{}\n{}',
        meta.description,
        meta.canonical,
        format_html_join("\n", '<meta property="{}" content="{}">', og),
        format_html_join("\n", '<meta name="{}" content="{}">', twitter),
    )
