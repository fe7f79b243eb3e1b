"""Topic suggestions: the people, organisations and places an article names.

The editors' list (listed topics and their aliases) comes first; spaCy's small English model
finds the rest. Suggestions are stored through newsroom's services, where editors decide them.
"""

from broadsheet.search.topics.suggest import (
    TopicsRefreshed,
    article_topics_refresh,
    article_topics_suggestions,
)

__all__ = ["TopicsRefreshed", "article_topics_refresh", "article_topics_suggestions"]
