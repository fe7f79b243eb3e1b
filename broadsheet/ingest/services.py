"""Importers: a parsed page becomes a published article, updated on re-import.

Every write goes through newsroom's and discussion's services; this module decides only
what an import means (a new page is published, a re-import keeps what editors decided).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import ImportedText, comment_import, imported_comments_judge
from broadsheet.ingest.escaping import markdown_paragraphs
from broadsheet.ingest.seed_format import ParsedComment, ParsedPage
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, Image, Section, Source

# Where a page lands when the importer is not told, and the article has no section yet.
DEFAULT_SECTION = "World"


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
    *,
    parsed: ParsedPage,
    section: Section | None = None,
    dry_run: bool = False,
    moderate: bool = False,
) -> ImportResult:
    """Create or update the published article for a parsed page, in one transaction.

    Every new comment is judged by the referee: by default it keeps the page's status (shown)
    and is marked for the "Review imported" tab when the referee would hold or reject it;
    moderate=True applies the referee's decision instead.
    """
    with transaction.atomic():
        key = page_import_key(parsed)
        # Locked for the whole import: a second import of the same page waits, then updates.
        article = Article.objects.select_for_update().filter(import_key=key).order_by("id").first()
        created = article is None
        before = {} if article is None else _snapshot(article)
        sources = [newsroom.source_get_or_create(credit_name=name) for name in parsed.sources]
        body = markdown_paragraphs(parsed.paragraphs)
        if article is None:
            article = _article_create(parsed, key=key, body=body, section=section, sources=sources)
        else:
            article = _article_update(article, parsed, body=body, section=section, sources=sources)
        comments_created = _store_comments(article, parsed, moderate=moderate)
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


def _article_create(
    parsed: ParsedPage, *, key: str, body: str, section: Section | None, sources: list[Source]
) -> Article:
    """A new page is published as it was on its site."""
    article = newsroom.article_create(
        headline=parsed.headline,
        body=body,
        section=section or newsroom.section_get_or_create(name=DEFAULT_SECTION),
        sources=sources,
        lead_image=_captions_create(parsed) if parsed.caption else None,
        import_key=key,
    )
    return newsroom.article_publish(article=article)


def _article_update(
    article: Article,
    parsed: ParsedPage,
    *,
    body: str,
    section: Section | None,
    sources: list[Source],
) -> Article:
    """Bring the article in step with the page, keeping what editors decide (status, URL)."""
    image = article.lead_image
    if image is not None:
        # The page's photo itself is gone; its captions are kept in step with the page.
        image = newsroom.image_update(
            image=image,
            caption=parsed.caption,
            second_caption=parsed.second_caption,
            captions_near_duplicate=parsed.captions_near_duplicate,
        )
    elif parsed.caption:
        image = _captions_create(parsed)
    if section is None and article.section_id is None:
        section = newsroom.section_get_or_create(name=DEFAULT_SECTION)
    article = newsroom.article_update(
        article=article,
        headline=parsed.headline,
        body=body,
        section=newsroom.KEEP if section is None else section,
        lead_image=image,
        published_at=timezone.now() if article.published_at is None else newsroom.KEEP,
    )
    newsroom.article_credits_set(article=article, sources=sources)
    return article


def _captions_create(parsed: ParsedPage) -> Image:
    return newsroom.image_create(
        caption=parsed.caption,
        second_caption=parsed.second_caption,
        captions_near_duplicate=parsed.captions_near_duplicate,
    )


def _comment_key_prefix(article: Article) -> str:
    # The article's row id is part of it: should the article be deleted and the page imported
    # again, the new article's comments must not be mistaken for the orphaned old ones.
    return f"{article.import_key}:article-{article.pk}:comment:"


def comment_import_key(article: Article, comment: ParsedComment) -> str:
    """Return a page comment's stable identity: its article and its place in the tree."""
    return _comment_key_prefix(article) + ".".join(map(str, comment.path))


def _store_comments(article: Article, parsed: ParsedPage, *, moderate: bool = False) -> int:
    """Store the page's comments in page order, parents first; return how many were new."""
    if not parsed.comments:
        return 0
    thread = article_thread(article)
    walked = list(parsed.walk_comments())
    keys = [comment_import_key(article, comment) for comment in walked]
    existing = set(Comment.objects.filter(import_key__in=keys).values_list("import_key", flat=True))
    bodies = [markdown_paragraphs(c.paragraphs, hard_breaks=True) for c in walked]
    # Only new comments meet the referee: one already stored keeps what moderators decided.
    new = [i for i, key in enumerate(keys) if key not in existing]
    judged = imported_comments_judge(
        thread=thread,
        texts=[ImportedText(body=bodies[i], author_name=walked[i].author or "") for i in new],
    )
    judgements = dict(zip(new, judged, strict=True))
    stored: dict[tuple[int, ...], Comment] = {}
    for index, comment in enumerate(walked):
        judgement = judgements.get(index)
        status: str = Comment.Status.APPROVED
        review = False
        if judgement is not None and judgement.review:
            if moderate:
                status = judgement.status
            else:
                review = True
        stored[comment.path] = comment_import(
            thread=thread,
            parent=stored.get(comment.path[:-1]),
            author_name=comment.author or "",
            body=bodies[index],
            import_key=keys[index],
            status=status,
            verdict=judgement.verdict if judgement is not None else None,
            review_imported=review,
        )
    return len(new)


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
