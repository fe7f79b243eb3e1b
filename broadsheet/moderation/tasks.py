"""Background work for the referee (thin: each task calls one service)."""

from __future__ import annotations

from django_tasks import task

from broadsheet.moderation.services import spam_model_train


@task()
def spam_model_retrain() -> int | None:
    """Retrain the spam model on the moderators' decisions; return the new model's id."""
    model = spam_model_train()
    return model.pk if model is not None else None
