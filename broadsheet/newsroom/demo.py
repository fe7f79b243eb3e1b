"""Demo content: fictional articles with generated lead images, so a fresh site has news.

Every story, place, person and wire service here is invented for the demo.
"""

from __future__ import annotations

import importlib
import io
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from broadsheet.accounts.services import user_without_login_get_or_create
from broadsheet.newsroom import services
from broadsheet.newsroom.demo_topics import starter_topics_load
from broadsheet.newsroom.models import Article, Correction

IMPORT_PREFIX = "demo:"
IMAGE_SIZE = (1200, 675)
PHOTO_CREDIT = "Broadsheet Graphics (generated illustration)"

SECTIONS = [
    ("World", "Reporting from our correspondents and partner wires abroad."),
    ("City", "Councils, transport, markets and neighbourhoods of Halvard."),
    ("Science", "Research, discovery and the natural world."),
]

# credit_name, full name: all invented wire services.
SOURCES = [
    ("MERIDIAN", "Meridian Press Agency"),
    ("NORTHWIND", "Northwind Wire"),
    ("HNS", "Harbor News Service"),
    ("PACIFICA", "Pacifica Press"),
]

# username, display name, role and biography for the author page
STAFF = [
    (
        "mara.lindqvist",
        "Mara Lindqvist",
        "City reporter",
        "Mara covers the city council, housing and transport. Before joining the desk she spent "
        "six years on a regional daily reading planning applications nobody else would.",
    ),
    (
        "oskar.bell",
        "Oskar Bell",
        "Science editor",
        "Oskar edits science and health coverage. He trained as a marine biologist and still "
        "checks every statistic twice.",
    ),
    (
        "ines.halloran",
        "Ines Halloran",
        "World editor",
        "Ines runs the world desk and its wire copy, and has reported from four continents.",
    ),
]


@dataclass(frozen=True)
class DemoImage:
    """What the generated lead image looks like and says."""

    palette: tuple[str, str, str]
    motif: str
    alt: str
    caption: str
    second_caption: str = ""
    near_duplicate: bool = False


@dataclass(frozen=True)
class DemoArticle:
    """One fictional story."""

    key: str
    section: str
    headline: str
    dek: str
    body: str
    hours_ago: float
    tags: tuple[str, ...]
    bylines: tuple[tuple[str, str, str], ...]  # (staff username or "", free-text name, role)
    sources: tuple[str, ...]
    image: DemoImage
    corrections: tuple[tuple[str, str, float], ...] = field(default=())  # kind, text, hours_ago


ARTICLES: list[DemoArticle] = [
    DemoArticle(
        key="veloran-trench-survey",
        section="World",
        headline="Five coastal states agree to map the Veloran Trench together",
        dek=(
            "A shared survey ship, a common data archive and a ten-year timetable: "
            "the deal ends two decades of overlapping expeditions."
        ),
        body="""\
Five states bordering the Veloran Sea signed an agreement on Tuesday to survey the
deep trench that runs beneath their waters with one ship and one open archive, ending
decades in which each sent its own vessel over the same ground.

The trench, which reaches a little over nine kilometres at its deepest known point, has
been charted in patches since the 1970s. Officials at the signing in the port of Caldris
said the patchwork had left "whole valleys we have measured three times and ridges we
have never seen".

## One ship, one archive

Under the agreement a single research vessel, paid for in shares set by coastline
length, will work the trench in seasonal legs. Every sounding will be published in a
common archive within six months of collection.

> "The sea does not care whose flag is on the stern," said Anselm Ferreday, who led the
> negotiations for the smallest of the five states. "Now our data won't care either."

Fishing groups welcomed the plan but asked for a seat on the board that decides where
the ship goes first. Several said the trench's upper slopes, where the catch is richest,
had been surveyed least.

The first leg is due to begin in the spring, weather permitting.
""",
        hours_ago=5,
        tags=("Oceans", "Diplomacy"),
        bylines=(("ines.halloran", "", "World editor"),),
        sources=("MERIDIAN", "NORTHWIND", "HNS"),
        image=DemoImage(
            palette=("#0b2545", "#13315c", "#8da9c4"),
            motif="waves",
            alt="Layered blue bands suggesting depth contours beneath the sea.",
            caption="An illustration of the trench's depth contours, deepest at the bottom.",
            second_caption=(
                "Illustration of depth contours in the Veloran Trench (deepest shown lowest)."
            ),
            near_duplicate=True,
        ),
    ),
    DemoArticle(
        key="teskar-ferry-vote",
        section="World",
        headline="Teskar islanders vote to keep their ferry-only link to the mainland",
        dek="A proposed bridge lost by 612 votes on a turnout of almost nine in ten.",
        body="""\
Residents of the Teskar islands have rejected a plan to connect the largest island to
the mainland by bridge, choosing to keep the ferries that have been their only link for
more than a century.

The bridge, which would have cut the crossing from forty minutes to six, was backed by
the islands' two largest employers and by most of the council. Opponents argued that
it would bring traffic the narrow island roads could not carry and would end the
ferry service within a decade.

"People said it was a vote about a bridge, but it was really a vote about time," said
Oda Marrin, who runs a bakery near the ferry landing. "We like our forty minutes."

The council said it would now ask the mainland government for money to replace the two
oldest ferries, which are due to be retired in 2029.
""",
        hours_ago=29,
        tags=("Transport", "Elections"),
        bylines=(("", "Teodor Vance", "Special correspondent"),),
        sources=("PACIFICA",),
        image=DemoImage(
            palette=("#1d3557", "#457b9d", "#f1faee"),
            motif="islands",
            alt="Pale shapes like islands on a blue field, joined by a dotted line.",
            caption="The ferry route between the islands and the mainland, in illustration.",
        ),
    ),
    DemoArticle(
        key="marrow-plains-harvest",
        section="World",
        headline="Late rains lift the Marrow Plains grain harvest above forecasts",
        dek="Farmers who planted late were rewarded; those who sold early were not.",
        body="""\
The grain harvest on the Marrow Plains came in almost a fifth above the government's
midsummer forecast, after rains that arrived three weeks late rescued crops many
farmers had written off.

Agricultural officials put the total at 14.2 million tonnes, against a forecast of
11.9 million. Prices at the regional exchange fell for the fourth week running.

The late rain was not good news for everyone. Farmers who had signed forward contracts
in July, when a poor harvest looked certain, sold at prices well below today's.

"It's the strangest year I've farmed," said Halima Orrery, who grows wheat and barley on
four hundred hectares near the town of Sedge. "Best crop in ten years, and I'll make less
on it than last year's."

Storage is now the concern: the plains' co-operative silos are expected to be full by
the end of the month.
""",
        hours_ago=52,
        tags=("Agriculture", "Weather"),
        bylines=(
            ("ines.halloran", "", "World editor"),
            ("", "Ruth Amberley", "Northwind Wire"),
        ),
        sources=("NORTHWIND", "MERIDIAN"),
        image=DemoImage(
            palette=("#7f5539", "#ddb892", "#ede0d4"),
            motif="fields",
            alt="Golden diagonal stripes like rows of a harvested field under a pale sky.",
            caption="Rows of grain on the Marrow Plains, as our illustrator imagines them.",
        ),
    ),
    DemoArticle(
        key="halvard-night-bus",
        section="City",
        headline="Halvard council approves a night bus trial on three routes",
        dek="Buses will run every thirty minutes between midnight and five from next month.",
        body="""\
Halvard's transport committee voted on Wednesday evening to run buses through the
night on three of the city's busiest routes for a six-month trial.

Buses on the 4, the 11 and the 27 will run every thirty minutes between midnight and
5 a.m., seven nights a week. The trial will cost the city about 1.1 million crowns.

Hospital and hotel workers, who make up most of the people now travelling at night,
campaigned for the service for three years. Many now rely on taxis or on lifts from
colleagues.

"I finish at two. For six years I've either paid half an hour's wages for a taxi or
waited for the first bus in the cold," said Pieter Sallow, a porter at St Aldric's
Hospital. "Thirty minutes is a wait I can live with."

The committee will review passenger numbers after three months. Councillors who voted
against the trial said the money would be better spent on the daytime network, where
buses on some routes are now full by 8 a.m.
""",
        hours_ago=9,
        tags=("Transport", "Council"),
        bylines=(("mara.lindqvist", "", "City reporter"),),
        sources=(),
        image=DemoImage(
            palette=("#10002b", "#3c096c", "#ff9e00"),
            motif="lights",
            alt="Amber dots of light streaking across a deep violet night.",
            caption="Street lights and bus lamps at night, in illustration.",
        ),
        corrections=(
            (
                Correction.Kind.CORRECTION,
                "An earlier version of this article said the trial would cost 11 million "
                "crowns. It will cost about 1.1 million crowns.",
                3,
            ),
        ),
    ),
    DemoArticle(
        key="tram-depot-market",
        section="City",
        headline="Old tram depot on Wick Street reopens as a covered market",
        dek="Forty stalls, a bakery oven from the 1920s and a roof that no longer leaks.",
        body="""\
The tram depot on Wick Street, empty since the last trams left it in 1987, opened on
Saturday as a covered market with forty stalls.

Restoration took four years and was paid for partly by the stallholders themselves,
who bought shares in the co-operative that now runs the building.

Visitors queued from before the doors opened. Many came for the bakery at the north
end, where a brick oven found behind a false wall during the works has been restored and
is firing again.

"My grandfather repaired trams in this hall," said Lotte Brandt, who sells cheese from a
stall built into one of the old inspection pits. "He would not believe how clean it is."

The market will open Thursday to Sunday. The co-operative said it hoped to add an evening
market in the summer.
""",
        hours_ago=30,
        tags=("Markets", "Heritage"),
        bylines=(("mara.lindqvist", "", "City reporter"),),
        sources=(),
        image=DemoImage(
            palette=("#283618", "#606c38", "#fefae0"),
            motif="arches",
            alt="Tall green arches in a row, like the roof of an old hall.",
            caption="The depot's arched roof, drawn in the style of a poster.",
            second_caption="Stallholders moved in over the weekend.",
        ),
    ),
    DemoArticle(
        key="library-telescopes",
        section="City",
        headline="Halvard libraries lend out two hundred telescopes in a month",
        dek="Waiting lists at every branch, and a run on star charts.",
        body="""\
Halvard's public libraries lent out all two hundred of their new telescopes within
four weeks of adding them to the catalogue, and every branch now has a waiting list.

The telescopes, donated by a local astronomy society, can be borrowed for two weeks
with an ordinary library card. Each comes with a star chart, a red torch and a short
guide written by society members.

"We expected families," said Wenna Cole, who runs the central library. "We did not
expect the queue of pensioners on the first morning."

The society said it would run free evening sessions in the park behind the central
library on clear Fridays until the end of winter.
""",
        hours_ago=75,
        tags=("Libraries", "Astronomy"),
        bylines=(("", "Anouk Perrault", "Contributor"),),
        sources=(),
        image=DemoImage(
            palette=("#03071e", "#370617", "#ffba08"),
            motif="stars",
            alt="A scatter of bright points on a dark red and black sky.",
            caption="A winter sky over the city, as a telescope might frame it.",
        ),
    ),
    DemoArticle(
        key="lichen-volunteers",
        section="Science",
        headline="Volunteers with phone cameras help map the lichens of the northern coast",
        dek="Six thousand photographs, and three species not recorded there before.",
        body="""\
A survey that asked walkers to photograph lichens on the northern coast has gathered
more than six thousand pictures in a year and found three species not previously
recorded in the region, researchers at the Coastal Ecology Institute said.

Lichens grow slowly and react quickly to changes in air quality, which makes them a
useful measure of pollution. But surveying them has traditionally needed specialists
who can identify species in the field.

The institute trained volunteers through short videos and asked them to photograph
each lichen beside a coin for scale. Specialists then identified the species from the
photographs.

"A coin is the most useful scientific instrument we handed out," said Dr Samir Okonkwo,
who leads the project. "It tells us size, and it tells us the photographer was close."

The team plans to repeat the survey every year so that changes can be tracked.
""",
        hours_ago=26,
        tags=("Ecology", "Citizen science"),
        bylines=(("oskar.bell", "", "Science editor"),),
        sources=("HNS",),
        image=DemoImage(
            palette=("#606c38", "#a3b18a", "#dad7cd"),
            motif="lichen",
            alt="Soft rings of green and grey, like lichen growing on stone.",
            caption="Lichen rosettes on a coastal rock, in illustration.",
        ),
    ),
    DemoArticle(
        key="deep-lake-probe",
        section="Science",
        headline="A year of data from the Lake Ostren probe shows the deep water warming",
        dek="The bottom of the lake is 0.3C warmer than a year ago, a faster change than expected.",
        body="""\
A probe moored at the bottom of Lake Ostren has returned its first full year of
measurements, showing the deepest water warming faster than models predicted.

The probe, lowered to 180 metres last winter, records temperature and oxygen every ten
minutes. Its readings show the water at the bottom 0.3C warmer than when it was
installed.

Deep lakes usually change slowly because the cold water at the bottom mixes with the
surface only during winter storms. Researchers said two mild winters in a row had
weakened that mixing.

"One year is not a trend," said Dr Liesl Aamodt of the Inland Waters Laboratory. "But it is
a very clear first year."

A second probe will be placed at the lake's northern basin in the spring.
""",
        hours_ago=100,
        tags=("Climate", "Lakes"),
        bylines=(
            ("oskar.bell", "", "Science editor"),
            ("", "Ruth Amberley", "Northwind Wire"),
        ),
        sources=("NORTHWIND", "PACIFICA"),
        image=DemoImage(
            palette=("#012a4a", "#2a6f97", "#a9d6e5"),
            motif="depth",
            alt="Horizontal layers of blue, darkest at the bottom, with a thin line descending.",
            caption="The probe's mooring line falling through the lake's layers, in illustration.",
        ),
    ),
    DemoArticle(
        key="meteor-shower-tonight",
        section="Science",
        headline="Skies expected to clear for tonight's meteor shower peak",
        dek="Up to forty meteors an hour, best seen after midnight away from street lights.",
        body="""\
The annual Corvid meteor shower reaches its peak tonight, and forecasters expect the
cloud that has covered the region for a week to clear before midnight.

Observers away from city lights may see up to forty meteors an hour. No telescope is
needed: the best view is with the naked eye, lying back and looking about halfway up
the sky.

The shower is caused by dust left behind by a comet that passes the Sun every 71 years.
""",
        hours_ago=-3,
        tags=("Astronomy",),
        bylines=(("oskar.bell", "", "Science editor"),),
        sources=("MERIDIAN",),
        image=DemoImage(
            palette=("#0d1b2a", "#1b263b", "#e0e1dd"),
            motif="meteors",
            alt="Thin pale streaks crossing a dark blue sky.",
            caption="Meteor trails across a night sky, in illustration.",
        ),
    ),
]


@dataclass
class DemoResult:
    """What a demo load did."""

    skipped: bool = False
    articles: list[Article] = field(default_factory=list)
    published: int = 0
    scheduled: int = 0
    images: int = 0
    discussion: object = None

    def summary(self) -> str:
        """Return a short human summary."""
        if self.skipped:
            return "Articles already exist: demo content not loaded."
        if not self.articles:
            return "Demo content is already loaded: nothing to do."
        text = (
            f"Loaded {len(self.articles)} demo articles ({self.published} published, "
            f"{self.scheduled} scheduled) in {len(SECTIONS)} sections with {self.images} "
            f"generated images."
        )
        if self.discussion:
            text += f" Discussion: {self.discussion}."
        return text


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return (int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16))


def image_render(*, palette: tuple[str, str, str], motif: str, seed: int) -> bytes:
    """Draw an abstract lead image (gradient plus soft shapes) and return it as JPEG bytes."""
    rng = random.Random(seed)  # noqa: S311 - artwork, not security
    width, height = IMAGE_SIZE
    top, bottom, light = (_hex(c) for c in palette)
    base = PILImage.new("RGB", IMAGE_SIZE)
    # A vertical gradient from `top` to `bottom`, one band per row.
    grad = ImageDraw.Draw(base)
    for row in range(height):
        t = row / (height - 1)
        grad.line(
            [(0, row), (width, row)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    overlay = PILImage.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    accent = (*light, 0)

    def with_alpha(alpha: int) -> tuple[int, int, int, int]:
        return (*accent[:3], alpha)

    r: float  # a radius: whole pixels for stars, fractional for lichen
    if motif in {"waves", "depth"}:
        for i in range(9):
            y0 = height * (i + 1) / 10
            points = [
                (x, y0 + 18 * math.sin(x / (90 + 12 * i) + i)) for x in range(0, width + 20, 20)
            ]
            draw.line(points, fill=with_alpha(40 + 12 * i), width=4 + i)
        if motif == "depth":
            draw.line(
                [(width * 0.62, 0), (width * 0.62, height * 0.85)], fill=with_alpha(220), width=3
            )
            draw.ellipse(
                [width * 0.62 - 14, height * 0.85 - 14, width * 0.62 + 14, height * 0.85 + 14],
                fill=with_alpha(230),
            )
    elif motif == "islands":
        centres: list[tuple[float, float]] = [(250, 420), (520, 330), (760, 440), (1010, 300)]
        for cx, cy in centres:
            rx, ry = rng.randint(70, 130), rng.randint(30, 60)
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=with_alpha(170))
        for (x0, y0), (x1, y1) in zip(centres, centres[1:], strict=False):
            for k in range(12):
                t = k / 12
                x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t - 60 * math.sin(math.pi * t)
                draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=with_alpha(240))
    elif motif == "fields":
        for i in range(-20, 40):
            x = i * 40
            draw.polygon(
                [
                    (x, height),
                    (x + 18, height),
                    (x + 18 + 500, height * 0.45),
                    (x + 500, height * 0.45),
                ],
                fill=with_alpha(60 + (i % 3) * 30),
            )
        draw.ellipse([880, 70, 1040, 230], fill=with_alpha(200))
    elif motif == "lights":
        for _ in range(38):
            x, y = rng.uniform(0, width), rng.uniform(height * 0.3, height * 0.95)
            length = rng.uniform(60, 260)
            draw.line(
                [(x, y), (x + length, y - length * 0.08)],
                fill=with_alpha(rng.randint(80, 220)),
                width=rng.randint(3, 9),
            )
            draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=with_alpha(230))
    elif motif == "arches":
        for i in range(6):
            x0 = 40 + i * 190
            draw.rectangle([x0, 260, x0 + 150, height], fill=with_alpha(50))
            draw.pieslice([x0, 180, x0 + 150, 340], 180, 360, fill=with_alpha(120))
            draw.rectangle([x0 + 20, 300, x0 + 130, height], fill=with_alpha(35))
    elif motif == "stars":
        for _ in range(240):
            x, y, r = (
                rng.uniform(0, width),
                rng.uniform(0, height),
                rng.choice((1, 1, 1, 2, 2, 3, 4)),
            )
            draw.ellipse([x - r, y - r, x + r, y + r], fill=with_alpha(rng.randint(120, 255)))
        draw.ellipse([120, 90, 300, 270], outline=with_alpha(200), width=6)
    elif motif == "lichen":
        for _ in range(14):
            cx, cy = rng.uniform(0, width), rng.uniform(0, height)
            for ring in range(6, 0, -1):
                r = ring * rng.uniform(12, 20)
                draw.ellipse(
                    [cx - r, cy - r, cx + r, cy + r], outline=with_alpha(40 + ring * 25), width=5
                )
    else:  # meteors and anything else: streaks across the sky
        for _ in range(160):
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            draw.point((x, y), fill=with_alpha(rng.randint(90, 200)))
        for _ in range(9):
            x, y = rng.uniform(200, width), rng.uniform(0, height * 0.6)
            length = rng.uniform(150, 380)
            draw.line([(x, y), (x - length, y + length * 0.45)], fill=with_alpha(210), width=3)
    overlay = overlay.filter(ImageFilter.GaussianBlur(1.2))
    picture = PILImage.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def demo_load(*, if_empty: bool = False, now: datetime | None = None) -> DemoResult:
    """Load the fictional demo articles; articles already loaded are left alone."""
    now = now or timezone.now()
    result = DemoResult()
    if if_empty and Article.objects.exists():
        result.skipped = True
        return result
    present = set(
        Article.objects.filter(import_key__startswith=IMPORT_PREFIX).values_list(
            "import_key", flat=True
        )
    )
    todo = [a for a in ARTICLES if IMPORT_PREFIX + a.key not in present]
    with transaction.atomic():
        sections = {}
        for position, (name, description) in enumerate(SECTIONS):
            section = services.section_get_or_create(name=name)
            sections[name] = services.section_update(
                section=section,
                description=section.description or description,
                position=position,
            )
        sources = {
            credit: services.source_get_or_create(credit_name=credit, name=name)
            for credit, name in SOURCES
        }
        users = _staff_users()
        # The editors' starter list first, so the demo articles' topic suggestions use it.
        starter_topics_load()
        for seed, spec in enumerate(todo):
            article = _article_load(
                spec, sections=sections, sources=sources, users=users, now=now, seed=seed
            )
            result.articles.append(article)
            result.images += 1
            if article.status == Article.Status.SCHEDULED:
                result.scheduled += 1
            else:
                result.published += 1
    if result.articles:
        result.discussion = _discussion_load(result.articles)
    return result


def _staff_users() -> dict:
    # Demo writers exist for bylines only; nobody can log in as them.
    users = {}
    for username, display_name, role, bio in STAFF:
        user = user_without_login_get_or_create(username=username, display_name=display_name)
        author = services.author_ensure(user=user)
        services.author_update(author=author, role=author.role or role, bio=author.bio or bio)
        users[username] = user
    return users


def _article_load(
    spec: DemoArticle, *, sections, sources, users, now: datetime, seed: int
) -> Article:
    img = spec.image
    image = services.image_create(
        content=image_render(palette=img.palette, motif=img.motif, seed=seed + 1),
        filename=f"demo-{spec.key}.jpg",
        caption=img.caption,
        second_caption=img.second_caption,
        captions_near_duplicate=img.near_duplicate,
        credit=PHOTO_CREDIT,
        alt_text=img.alt,
    )
    tags = [services.tag_get_or_create(name=name) for name in spec.tags]
    bylines = [
        services.BylineSpec(user=users[username] if username else None, name=name, role=role)
        for username, name, role in spec.bylines
    ]
    article = services.article_create(
        headline=spec.headline,
        dek=spec.dek,
        body=spec.body,
        section=sections[spec.section],
        tags=tags,
        bylines=bylines,
        sources=[sources[c] for c in spec.sources],
        lead_image=image,
        import_key=IMPORT_PREFIX + spec.key,
    )
    when = now - timedelta(hours=spec.hours_ago)
    if when > now:
        article = services.article_schedule(article=article, publish_at=when, now=now)
    else:
        article.published_at = when  # back-date so the demo front page has a history
        article.save(update_fields=["published_at"])
        article = services.article_publish(article=article, now=now)
    for kind, text, hours_ago in spec.corrections:
        services.correction_add(
            article=article, kind=kind, text=text, noted_at=now - timedelta(hours=hours_ago)
        )
    return article


def _discussion_load(articles: list[Article]) -> object:
    """Let the discussion app add demo comments, when it offers to."""
    name = "broadsheet.newsroom.demo_discussion"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise  # the module exists but is broken: say so rather than hide it
        return None
    loader = getattr(module, "demo_discussion_load", None)
    return loader(articles) if callable(loader) else None
