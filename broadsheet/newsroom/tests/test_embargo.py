"""A wire story under embargo cannot go live before the embargo lifts, by any road."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

LIFTS = datetime(2031, 5, 4, 9, 30, tzinfo=UTC)
REFUSED = "Under embargo until 4 May 2031, 09:30 UTC: schedule it for then or later."


@pytest.fixture
def draft(settings) -> Article:
    settings.TIME_ZONE = "UTC"
    return services.article_create(
        headline="Harbour tender results", body="Sealed bids.", embargo_until=LIFTS
    )


def test_publishing_now_is_refused_and_changes_nothing(draft):
    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=draft)

    assert refused.value.message_dict == {"published_at": [REFUSED]}
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)


def test_scheduling_before_the_embargo_is_refused_and_at_it_accepted(draft):
    with pytest.raises(ValidationError, match="Under embargo until 4 May 2031"):
        services.article_schedule(article=draft, publish_at=LIFTS - timedelta(minutes=1))

    scheduled = services.article_schedule(article=draft, publish_at=LIFTS)

    assert (scheduled.status, scheduled.published_at) == (Article.Status.SCHEDULED, LIFTS)


def test_setting_status_and_time_by_hand_is_held_to_the_embargo_too(draft):
    with pytest.raises(ValidationError, match="Under embargo"):
        services.article_update(
            article=draft, status=Article.Status.PUBLISHED, published_at=timezone.now()
        )

    lifted = services.article_update(article=draft, embargo_until=None)
    assert services.article_publish(article=lifted).status == Article.Status.PUBLISHED
