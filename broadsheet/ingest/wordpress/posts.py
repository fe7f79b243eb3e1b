"""A WordPress post becomes an article, an attachment an image, through newsroom's services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.ingest.legacy import legacy_urls_changed
from broadsheet.ingest.models import LegacyURL
from broadsheet.ingest.wordpress.content import Shortcodes, html_to_markdown, post_html
from broadsheet.ingest.wordpress.wxr import (
    WxrItem,
    attachment_credit,
    legacy_paths,
    uploads_path,
)
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Image

# WordPress's post statuses as Broadsheet's: "future" is scheduled (published once its time has
# passed), everything not public is a draft; trashed posts are not imported.
STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
    "auto-draft": Article.Status.DRAFT,
    "inherit": Article.Status.DRAFT,
}
SLUG_MAX = Article._meta.get_field("slug").max_length or 200
HEADLINE_MAX = Article._meta.get_field("headline").max_length or 300


@dataclass(frozen=True)
class PostWritten:
    """What writing one post did."""

    article: Article
    outcome: str  # created, updated, unchanged
    shortcodes: Shortcodes


def _slug_for(item: WxrItem, *, exclude_pk: int | None) -> str:
    """WordPress's slug (decoded, made ASCII), unique among articles."""
    root = slugify(item.slug)[:SLUG_MAX].strip("-") or slugify(item.title)[:SLUG_MAX].strip("-")
    root = root or f"post-{item.wp_id}"
    rows = Article.objects.all()
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    candidate, n = root, 1
    while rows.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = root[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


# What a Broadsheet export adds for Broadsheet imports (WordPress keeps one author, no credits).
BYLINES_META = "_broadsheet_bylines"
CREDIT_LINE_META = "_broadsheet_credit_line"


def _state(article: Article) -> dict[str, object]:
    return {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at,
        "section": article.section_id,
        "lead_image": article.lead_image_id,
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "bylines": list(article.bylines.order_by("position").values_list("name", flat=True)),
    }


def post_write(
    *, item: WxrItem, key: str, authors: dict[str, str], lead_image: Image | None
) -> PostWritten:
    """Create or update the article for a post (the caller holds the transaction)."""
    counts = Shortcodes()
    body = html_to_markdown(post_html(item.content, counts))
    dek = " ".join(html_to_markdown(item.excerpt).split()) if item.excerpt else ""
    status = STATUS.get(item.status)
    if status is None:
        raise ValidationError(f"unknown wp:status {item.status!r}")
    published_at = item.date
    if status == Article.Status.SCHEDULED and (
        published_at is None or published_at <= timezone.now()
    ):
        status = Article.Status.PUBLISHED
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    if status == Article.Status.DRAFT:
        # A draft's WordPress date is its last save: publishing it later sets its own time.
        published_at = None
    headline = (item.title or f"Untitled (WordPress post {item.wp_id})")[:HEADLINE_MAX]
    section = newsroom.section_get_or_create(name=item.categories[0]) if item.categories else None
    tags = [newsroom.tag_get_or_create(name=name[:100]) for name in item.tags]
    bylines = _bylines(item, authors)
    article = Article.objects.select_for_update().filter(import_key=key).first()
    if article is None:
        article = newsroom.article_create(
            headline=headline,
            body=body,
            dek=dek,
            section=section,
            tags=tags,
            bylines=bylines,
            lead_image=lead_image,
            slug=_slug_for(item, exclude_pk=None),
            import_key=key,
        )
        article = newsroom.article_update(article=article, status=status, published_at=published_at)
        _credits_set(article, item)
        return PostWritten(article, "created", counts)
    before = _state(article)
    wanted = {
        "headline": headline,
        "dek": dek,
        "body": body,
        "status": status,
        "published_at": published_at,
        "section": section.pk if section else None,
        "lead_image": lead_image.pk if lead_image else before["lead_image"],
        "tags": sorted(t.pk for t in tags),
        "bylines": [spec.name for spec in bylines],
    }
    if slugify(item.slug) and not article.slug.startswith(slugify(item.slug)[:SLUG_MAX]):
        wanted["slug"] = _slug_for(item, exclude_pk=article.pk)
    if all(before.get(field) == value for field, value in wanted.items()):
        return PostWritten(article, "unchanged", counts)
    article = newsroom.article_update(
        article=article,
        headline=headline,
        slug=wanted.get("slug", newsroom.KEEP),  # type: ignore[arg-type]
        dek=dek,
        body=body,
        status=status,
        published_at=published_at,
        section=section,
        tags=tags,
        lead_image=lead_image if lead_image is not None else newsroom.KEEP,
    )
    if before["bylines"] != wanted["bylines"]:
        newsroom.article_bylines_set(article=article, bylines=bylines)
    _credits_set(article, item)
    return PostWritten(article, "updated", counts)


def _bylines(item: WxrItem, authors: dict[str, str]) -> list[newsroom.BylineSpec]:
    """Every byline a Broadsheet export carried (in order, with roles), else the post's author."""
    try:
        carried = json.loads(item.meta.get(BYLINES_META) or "[]")
    except ValueError:
        carried = []
    specs = [
        newsroom.BylineSpec(name=str(entry["name"]).strip(), role=str(entry.get("role") or ""))
        for entry in (carried if isinstance(carried, list) else [])
        if isinstance(entry, dict) and str(entry.get("name") or "").strip()
    ]
    if specs:
        return specs
    name = authors.get(item.creator, item.creator)
    return [newsroom.BylineSpec(name=name)] if name else []


def _credits_set(article: Article, item: WxrItem) -> None:
    """Give back the wire credits ("FOX NEWS/AP/REUTERS") a Broadsheet export carried."""
    line = item.meta.get(CREDIT_LINE_META, "").strip()
    if not line:
        return
    names = [part.strip() for part in line.split("/") if part.strip()]
    sources = [newsroom.source_get_or_create(credit_name=name[:60]) for name in names]
    if [c.source.credit_name for c in article.credits.order_by("position")] != names:
        newsroom.article_credits_set(article=article, sources=sources)


def legacy_urls_set(*, article: Article, item: WxrItem, origin: str) -> int:
    """Point the post's old addresses at the article; return how many are new."""
    current = article.get_absolute_url()
    created = 0
    for path in legacy_paths(item):
        if path == current or len(path) > 500:
            continue
        row = LegacyURL.objects.filter(path=path).first()
        if row is None:
            LegacyURL.objects.create(path=path, article=article, origin=origin[:200])
            created += 1
        elif row.article_id != article.pk:
            row.article = article
            row.origin = origin[:200]
            row.save(update_fields=["article", "origin"])
    # An address that became the article's own is no longer a redirect (it would loop).
    LegacyURL.objects.filter(path=current, article=article).delete()
    legacy_urls_changed()
    return created


@dataclass(frozen=True)
class AttachmentWritten:
    """What writing one attachment did, and a note when its file was not found."""

    image: Image
    outcome: str
    missing_file: bool = False


def attachment_write(
    *, item: WxrItem, key: str, media_dir: Path | None, dry_run: bool
) -> AttachmentWritten:
    """Create or update the image for an attachment, with its file from media_dir when there."""
    caption = " ".join(html_to_markdown(item.excerpt).split()) if item.excerpt else ""
    alt = item.meta.get("_wp_attachment_image_alt", "").strip()[:300]
    credit = attachment_credit(item.meta.get("_wp_attachment_metadata", ""))[:200]
    url = item.attachment_url or item.link
    url = url if len(url) <= 500 and url.startswith(("http://", "https://")) else ""
    content, filename, missing = None, "", False
    if media_dir is not None:
        relative = uploads_path(item.attachment_url)
        candidate = (media_dir / relative).resolve() if relative else None
        inside = candidate is not None and candidate.is_relative_to(media_dir.resolve())
        if inside and candidate is not None and candidate.is_file():
            # On a dry run the file is not read: storage is not part of the rolled-back write.
            if not dry_run:
                content, filename = candidate.read_bytes(), candidate.name
        else:
            missing = True
    image = Image.objects.filter(import_key=key).order_by("pk").first()
    if image is None:
        image = newsroom.image_create(
            content=content,
            filename=filename,
            caption=caption,
            credit=credit,
            alt_text=alt,
            original_url=url,
            import_key=key,
        )
        return AttachmentWritten(image, "created", missing)
    same = (image.caption, image.alt_text, image.credit, image.original_url) == (
        caption,
        alt,
        credit,
        url,
    )
    if same and (content is None or image.file):
        return AttachmentWritten(image, "unchanged", missing)
    image = newsroom.image_update(
        image=image,
        caption=caption,
        alt_text=alt,
        credit=credit,
        original_url=url,
        content=content if content is not None and not image.file else newsroom.KEEP,
        filename=filename,
    )
    return AttachmentWritten(image, "updated", missing)
