"""Demo discussions for the demo articles: a few hand-written debates and one very long thread."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from broadsheet.accounts.services import user_without_login_get_or_create
from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import BulkComment, comment_bulk_import, comment_import
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article

IMPORT_PREFIX = "demo:"
BIG_THREAD_ARTICLE = "library-telescopes"
BIG_THREAD_SIZE = 2400
READER_USERNAME = "demo-reader"


@dataclass(frozen=True)
class DemoComment:
    """One hand-written demo comment; `reply_to` is the index of its parent in the list."""

    author: str
    body: str
    reply_to: int | None = None
    website: str = ""
    registered: bool = False


# Fiction written for the demo: names, places and opinions are invented.
THREADS: dict[str, list[DemoComment]] = {
    "halvard-night-bus": [
        DemoComment(
            "Tomasz Vell",
            "Finally. I finish at the bakery at half past one and the last bus leaves at "
            "midnight. Three routes is a start, but route 14 is the one shift workers need.",
        ),
        DemoComment(
            "Ines Marlow",
            "Route 14 was in the first draft, according to the council papers. It was cut "
            "because the depot has no night drivers on that side of the river.",
            reply_to=0,
            website="https://inesmarlow.example.net",
        ),
        DemoComment(
            "Tomasz Vell",
            "That explains it, thank you. Then the trial should be judged on whether they "
            "*hire* for it, not only on passenger numbers.",
            reply_to=1,
        ),
        DemoComment(
            "Mirela Okafor",
            "Agreed, and the council said it will publish the numbers monthly. Worth holding "
            "them to that: [the trial terms](https://example.org/halvard/night-bus) are public.",
            reply_to=2,
            registered=True,
        ),
        DemoComment(
            "Ruth Abernathy",
            "I worry about the cost. The day buses already run half empty after seven. Why "
            "not subsidise taxis for the few who need a late ride?",
        ),
        DemoComment(
            "Jonas Pell",
            "Half empty after seven is exactly because nothing runs after eleven: people "
            "do not take a bus out if they cannot take one home.",
            reply_to=4,
        ),
        DemoComment(
            "Ruth Abernathy",
            "Fair point. I had not thought of the return trip. I will wait for the figures.",
            reply_to=5,
        ),
        DemoComment(
            "Dev Sarin",
            "Is there any plan for lighting at the stops on the harbour road? Waiting there "
            "at 2 a.m. is not pleasant.",
        ),
    ],
    "teskar-ferry-vote": [
        DemoComment(
            "Halla Brin",
            "As someone born on Teskar: the ferry *is* the island. A bridge would bring "
            "day-trippers and take the quiet. I voted to keep it.",
        ),
        DemoComment(
            "Oskar Lint",
            "Easy to say if you are not the one taking a sick child across in a winter "
            "storm. The ambulance boat was cancelled twice last January.",
            reply_to=0,
        ),
        DemoComment(
            "Halla Brin",
            "That is true, and the vote also asked for a second all-weather boat. Keeping the "
            "ferry should not mean keeping it as it is.",
            reply_to=1,
        ),
        DemoComment(
            "Mirela Okafor",
            "The turnout figure is remarkable: 81 percent. Whatever one thinks of the "
            "result, nobody can say the islanders did not speak.",
            registered=True,
        ),
        DemoComment(
            "Piet Ansgar",
            "I run a guesthouse on the north shore. More visitors would help me, but not "
            "if the harbour becomes a car park. Glad it was decided by the people who live "
            "there.",
            website="https://north-shore-rooms.example.com",
        ),
    ],
    "tram-depot-market": [
        DemoComment(
            "Celia Dunmore",
            "Went on opening day. The old tram rails are still in the floor and they kept "
            "the clock above the gate. Lovely job.",
        ),
        DemoComment(
            "Arno Weiss",
            "The stall rents are the question. Three of the traders I spoke to said they can "
            "only afford a stall every other weekend.",
            reply_to=0,
        ),
        DemoComment(
            "Celia Dunmore",
            "The article says the first six months are at half rent. Let us see what happens "
            "after that.",
            reply_to=1,
        ),
    ],
}

# Pieces the long thread's comments are assembled from, so the demo shows pagination.
OPENINGS = [
    "We borrowed one last week",
    "My daughter reserved one in March",
    "I had no idea the library did this",
    "Tried the small refractor on Saturday",
    "The waiting list at the central branch is long",
    "Our club helped set some of these up",
    "Picked one up from the Wick Street branch",
    "A neighbour lent me theirs",
]
MIDDLES = [
    "and the instructions in the case were clear enough for a beginner",
    "and we saw the rings of Saturn from the balcony",
    "but the tripod is a little wobbly in the wind",
    "and the moon through it was a revelation",
    "though the city lights made the faint stars hard to find",
    "and the star chart in the box was a nice touch",
    "but it took us a night to learn to focus it",
]
CLOSINGS = [
    "Thank you to the staff.",
    "More of this, please.",
    "Worth the wait.",
    "Going back for the bigger one.",
    "Hoping they extend the loan period.",
    "Would love a beginners' evening at the library.",
]
REPLIES = [
    "Same experience here.",
    "Try the park by the reservoir: much darker skies.",
    "The wobble goes away if you hang your bag from the tripod hook.",
    "Which branch did you borrow from?",
    "Good tip, thanks.",
    "The astronomy club meets on Thursdays if you want help focusing.",
    "We saw Jupiter's moons the same night.",
]
NAMES = [
    "Ada Thorne", "Bilal Ross", "Carmen Lüth", "Dmitri Hale", "Edda Quinn", "Farid Nour",
    "Greta Solberg", "Hugo Pare", "Ilse Varga", "Jun Ito", "Kasia Brenn", "Lior Amsel",
    "Maren Holt", "Nils Eck", "Orla Finch", "Priya Das", "Quentin Moss", "Rosa Irving",
]  # fmt: skip


def _reader():
    # A demo identity for bylines on comments; nobody can sign in as it.
    return user_without_login_get_or_create(
        username=READER_USERNAME, display_name="Mirela Okafor", email="mirela@reader.example"
    )


def _article_key(article: Article) -> str:
    return article.import_key.removeprefix(IMPORT_PREFIX)


def _written_thread(article: Article, comments: list[DemoComment], reader) -> int:
    thread = article_thread(article)
    start = article.published_at or timezone.now()
    stored: list[Comment] = []
    for index, spec in enumerate(comments):
        stored.append(
            comment_import(
                thread=thread,
                parent=stored[spec.reply_to] if spec.reply_to is not None else None,
                author_name="" if spec.registered else spec.author,
                author_url=spec.website,
                user=reader if spec.registered else None,
                body=spec.body,
                created_at=start + timedelta(minutes=17 * (index + 1)),
                import_key=f"demo:comment:{_article_key(article)}:{index}",
            )
        )
    return len(stored)


def _big_thread_items(size: int, *, seed: int = 2026) -> list[BulkComment]:
    rng = random.Random(seed)  # noqa: S311 (demo text, not security)
    items: list[BulkComment] = []
    start = timezone.now() - timedelta(days=3)
    while len(items) < size:
        items.append(
            BulkComment(
                author_name=rng.choice(NAMES),
                body=f"{rng.choice(OPENINGS)}, {rng.choice(MIDDLES)}. {rng.choice(CLOSINGS)}",
                created_at=start + timedelta(minutes=len(items)),
                import_key=f"demo:bulk:{len(items)}",
            )
        )
        parents = [len(items) - 1]
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            if len(items) >= size:
                break
            items.append(
                BulkComment(
                    author_name=rng.choice(NAMES),
                    body=rng.choice(REPLIES),
                    parent=rng.choice(parents),
                    created_at=start + timedelta(minutes=len(items)),
                    import_key=f"demo:bulk:{len(items)}",
                )
            )
            parents.append(len(items) - 1)
    return items


def demo_discussion_load(articles: list[Article]) -> str:
    """Add the demo discussions to the demo articles; safe to run again."""
    reader = _reader()
    by_key = {_article_key(a): a for a in articles if a.is_live}
    written = 0
    for key, comments in THREADS.items():
        if key in by_key:
            written += _written_thread(by_key[key], comments, reader)
    big = by_key.get(BIG_THREAD_ARTICLE) or next(
        (a for a in by_key.values() if _article_key(a) not in THREADS), None
    )
    generated = 0
    if big is not None and not Comment.objects.filter(import_key="demo:bulk:0").exists():
        items = _big_thread_items(BIG_THREAD_SIZE)
        comment_bulk_import(thread=article_thread(big), items=items)
        generated = len(items)
    return f"{written} written comments and a generated thread of {generated:,}"
