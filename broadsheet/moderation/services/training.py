"""The spam model's teaching data (moderators' spam/not-spam decisions) and its training."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.moderation import conf
from broadsheet.moderation.models import SpamModel, TrainingExample
from broadsheet.moderation.services.audit import Actor, audit_log, changes_note

log = logging.getLogger(__name__)
# Enough for a site's history while keeping a retrain to seconds.
MAX_TRAINING_EXAMPLES = 50_000


def _decision(example: TrainingExample) -> str:
    return "spam" if example.is_spam else "ham"


def _fields(example: TrainingExample) -> dict[str, str]:
    return {
        "text": example.text,
        "is_spam": _decision(example),
        "object_key": example.object_key,
    }


@transaction.atomic
def training_example_record(*, text: str, is_spam: bool, object_key: str = "") -> TrainingExample:
    """Keep a moderator's spam/not-spam decision for the spam model (replacing a changed one)."""
    # Not audited here: the moderator's decision on the comment is, by the caller.
    if object_key:
        example, _ = TrainingExample.objects.update_or_create(
            object_key=object_key, defaults={"text": text, "is_spam": is_spam}
        )
        return example
    return TrainingExample.objects.create(text=text, is_spam=is_spam)


def _require_text(text: str) -> str:
    if not text.strip():
        raise ValueError("a training example needs some text")
    return text


def _require_free_key(object_key: str, *, exclude_pk: int | None = None) -> str:
    taken = TrainingExample.objects.filter(object_key=object_key)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if object_key and taken.exists():
        raise ValueError(f"{object_key!r} already has a training example")
    return object_key


@transaction.atomic
def training_example_create(
    *, text: str, is_spam: bool, object_key: str = "", actor: Actor = None
) -> TrainingExample:
    """Teach the spam model one example by hand."""
    example = TrainingExample.objects.create(
        text=_require_text(text), is_spam=is_spam, object_key=_require_free_key(object_key)
    )
    audit_log(
        action="training_example_create",
        actor=actor,
        object_key=f"training:{example.pk}",
        decision=_decision(example),
        note=example.object_key,
    )
    return example


@transaction.atomic
def training_example_update(
    *,
    example: TrainingExample,
    actor: Actor = None,
    text: str | Unchanged = KEEP,
    is_spam: bool | Unchanged = KEEP,
    object_key: str | Unchanged = KEEP,
) -> TrainingExample:
    """Correct an example's text, label or object; the arguments left out are kept."""
    stored = TrainingExample.objects.select_for_update().get(pk=example.pk)
    before = _fields(stored)
    if text is not KEEP:
        stored.text = _require_text(text)
    if is_spam is not KEEP:
        stored.is_spam = is_spam
    if object_key is not KEEP:
        stored.object_key = _require_free_key(object_key, exclude_pk=stored.pk)
    stored.save()
    audit_log(
        action="training_example_update",
        actor=actor,
        object_key=f"training:{stored.pk}",
        decision=_decision(stored),
        note=changes_note(f"example #{stored.pk}", before=before, after=_fields(stored)),
    )
    return stored


@transaction.atomic
def training_example_delete(*, example: TrainingExample, actor: Actor = None) -> None:
    """Forget an example: the next training no longer learns from it."""
    audit_log(
        action="training_example_delete",
        actor=actor,
        object_key=f"training:{example.pk}",
        decision=_decision(example),
        note=example.text,
    )
    example.delete()


def spam_model_train(*, examples: Iterable[tuple[str, bool]] | None = None) -> SpamModel | None:
    """Fit the spam model on the stored decisions (or the given ones) and store it signed.

    Returns None, storing nothing, while there are fewer than MODERATION_SPAM_MIN_EXAMPLES
    decisions or only one class among them.
    """
    if examples is None:
        rows = TrainingExample.objects.order_by("-created_at").values_list("text", "is_spam")
        pairs = list(rows[:MAX_TRAINING_EXAMPLES])
    else:
        pairs = [(str(text), bool(is_spam)) for text, is_spam in examples]
    spam_count = sum(1 for _, is_spam in pairs if is_spam)
    minimum = int(conf.get("MODERATION_SPAM_MIN_EXAMPLES"))
    if len(pairs) < minimum or spam_count in (0, len(pairs)):
        log.info(
            "spam model not trained: %s decisions (%s spam); needs %s with both kinds",
            len(pairs),
            spam_count,
            minimum,
        )
        return None
    from broadsheet.moderation import spam  # numpy and scikit-learn, only when training

    blob, signature = spam.dump(spam.fit([t for t, _ in pairs], [s for _, s in pairs]))
    with transaction.atomic():
        model = SpamModel.objects.create(
            examples=len(pairs), spam_examples=spam_count, blob=blob, signature=signature
        )
        # Keep the last few models for inspection; older blobs only take space.
        stale = SpamModel.objects.values_list("pk", flat=True)[3:]
        SpamModel.objects.filter(pk__in=list(stale)).delete()
    spam.forget()  # this process uses the new model at once; others within RECHECK_SECONDS
    return model
