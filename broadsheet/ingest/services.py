"""Writes for importers: a parsed page becomes a published article, updated on re-import."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import comment_import
from broadsheet.ingest.escaping import markdown_paragraphs
from broadsheet.ingest.seed_format import ParsedComment, ParsedPage
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, Credit, Image, Section, Source

DEFAULT_SECTION = "World"
SLUG_MAX = 200


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, on a dry run, would do) to one article."""

    article: Article  # on a dry run, the instance as it would have been saved (its row is gone)
    url: str  # absolute, with settings.SITE_URL
    created: bool
    dry_run: bool
    fields: dict[str, object] = field(default_factory=dict)  # the imported fields, after
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)  # field: (old, new)
    comments_parsed: int = 0
    comments_created: int = 0  # new comments stored; those from an earlier import are kept
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was (or would be) written."""
        return self.created or bool(self.changes)


def page_import_key(parsed: ParsedPage) -> str:
    """Return the stable identity of a page: the same headline is the same article."""
    headline = " ".join(unicodedata.normalize("NFC", parsed.headline).split())
    return "page:" + hashlib.sha256(headline.encode()).hexdigest()


def page_import(
    *, parsed: ParsedPage, section: Section | None = None, dry_run: bool = False
) -> ImportResult:
    """Create or update the published article for a parsed page, in one transaction."""
    with transaction.atomic():
        key = page_import_key(parsed)
        article = Article.objects.select_for_update().filter(import_key=key).order_by("id").first()
        created = article is None
        before = {} if article is None else _snapshot(article)
        if article is None:
            # A new page is published as it was on its site; a re-import keeps the editor's
            # status, so an article taken down stays down.
            article = Article(
                import_key=key, published_at=timezone.now(), status=Article.Status.PUBLISHED
            )
            article.slug = _unique_slug(parsed.headline)
        article.headline = parsed.headline
        article.body = markdown_paragraphs(parsed.paragraphs)
        if article.published_at is None:
            article.published_at = timezone.now()
        if section is not None:
            article.section = section
        elif article.section_id is None:
            article.section = _default_section()
        article.lead_image = _lead_image(article, parsed)
        article.save()
        _set_credits(article, parsed.sources)
        comments_created = _store_comments(article, parsed)
        after = _snapshot(article)
        changes = {
            name: (before.get(name), value)
            for name, value in after.items()
            if before.get(name) != value
        }
        result = ImportResult(
            article=article,
            url=settings.SITE_URL + article.get_absolute_url(),
            created=created,
            dry_run=dry_run,
            fields=after,
            changes=changes,
            comments_parsed=parsed.comment_count,
            comments_created=comments_created,
            warnings=parsed.warnings,
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _comment_key_prefix(article: Article) -> str:
    # The article's row id is part of it: should the article be deleted and the page imported
    # again, the new article's comments must not be mistaken for the orphaned old ones.
    return f"{article.import_key}:article-{article.pk}:comment:"


def comment_import_key(article: Article, comment: ParsedComment) -> str:
    """Return a page comment's stable identity: its article and its place in the tree."""
    return _comment_key_prefix(article) + ".".join(map(str, comment.path))


def _store_comments(article: Article, parsed: ParsedPage) -> int:
    """Store the page's comments in page order, parents first; return how many were new."""
    if not parsed.comments:
        return 0
    thread = article_thread(article)
    stored: dict[tuple[int, ...], Comment] = {}
    created = 0
    for comment in parsed.walk_comments():
        key = comment_import_key(article, comment)
        existed = Comment.objects.filter(import_key=key).exists()
        stored[comment.path] = comment_import(
            thread=thread,
            parent=stored.get(comment.path[:-1]),
            author_name=comment.author or "",
            body=markdown_paragraphs(comment.paragraphs, hard_breaks=True),
            import_key=key,
        )
        created += not existed
    return created


def _snapshot(article: Article) -> dict[str, object]:
    """The imported fields as a reader would compare them."""
    image = article.lead_image
    return {
        "headline": article.headline,
        "slug": article.slug,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at,
        "section": article.section.name if article.section else None,
        "caption": image.caption if image else "",
        "second_caption": image.second_caption if image else "",
        "captions_near_duplicate": image.captions_near_duplicate if image else False,
        "credit_line": article.credit_line,
        "comments": Comment.objects.filter(
            import_key__startswith=_comment_key_prefix(article)
        ).count(),
    }


def _unique_slug(headline: str) -> str:
    base = slugify(headline)[:SLUG_MAX].strip("-") or "article"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def _default_section() -> Section:
    existing = Section.objects.filter(name__iexact=DEFAULT_SECTION).first()
    if existing is not None:
        return existing
    section, _ = Section.objects.get_or_create(
        slug=slugify(DEFAULT_SECTION), defaults={"name": DEFAULT_SECTION}
    )
    return section


def _lead_image(article: Article, parsed: ParsedPage) -> Image | None:
    """Keep the lead image's captions in step with the page; the page's photo itself is gone."""
    image = article.lead_image
    if image is None and not parsed.caption:
        return None
    if image is None:
        image = Image()
    image.caption = parsed.caption
    image.second_caption = parsed.second_caption
    image.captions_near_duplicate = parsed.captions_near_duplicate
    image.save()
    return image


def _source_for(credit_name: str) -> Source:
    source = (
        Source.objects.filter(credit_name=credit_name).order_by("id").first()
        or Source.objects.filter(name=credit_name).first()
    )
    if source is None:
        source = Source.objects.create(name=credit_name, credit_name=credit_name)
    return source


def _set_credits(article: Article, credit_names: tuple[str, ...]) -> None:
    """Make the article's credits exactly these sources, in this order."""
    sources = [_source_for(name) for name in credit_names]
    wanted = {source.pk: position for position, source in enumerate(sources)}
    existing = {credit.source_id: credit for credit in article.credits.all()}
    Credit.objects.filter(article=article).exclude(source_id__in=wanted).delete()
    for source in sources:
        credit = existing.get(source.pk)
        if credit is None:
            Credit.objects.create(article=article, source=source, position=wanted[source.pk])
        elif credit.position != wanted[source.pk]:
            credit.position = wanted[source.pk]
            credit.save(update_fields=["position"])
