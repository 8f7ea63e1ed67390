"""The demo's pictures: which stories carry one, and seeding them (drawn by pictures.demo_art).

Create-only like the rest of the demo: a story that already has a lead picture,
or a publication that already has a logo, is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from broadsheet.demo import publication, stories
from broadsheet.newsroom.models import Article, Publication
from broadsheet.pictures.demo_art import CHART_SECTIONS, art_for, line_chart, masthead_logo
from broadsheet.pictures.html import dimensions, rendition_url
from broadsheet.pictures.models import Picture
from broadsheet.pictures.services import picture_create

# What the chart of a market story is about, by a word in its slug.
CHART_LABELS = (("rupee", "Rupee per dollar"), ("bond", "10-year bond yield"), ("gold", "Gold, ₹ per 10 g"))


def pictured(story: stories.Story, index: int) -> bool:
    """Top stories, every market story, and every other recent story carry a picture; the archive does not."""
    if story.on is not None:
        return False
    return story.top or story.section in CHART_SECTIONS or index % 2 == 0


def _label(story: stories.Story) -> str:
    if story.section in CHART_SECTIONS:
        return next((label for word, label in CHART_LABELS if word in story.slug), "Nifty 50 index")
    return dict((slug, name) for slug, name, _ in publication.SECTIONS).get(story.section, "The Broadsheet Daily")


def _create(art_slug: str, story: stories.Story) -> Picture:
    art = art_for(slug=art_slug, section=story.section, label=_label(story))
    return picture_create(data=art.png, name=f"{art_slug}.png", alt=art.alt, caption=art.caption, credit=art.credit)


def _body_figure(picture: Picture) -> str:
    width, height = dimensions(picture, 800 if 800 in picture.widths else max(picture.widths))
    src = rendition_url(picture, width, "jpg")
    caption = f"{picture.caption} {picture.credit}".strip()
    img = f'<img src="{src}" alt="{escape(picture.alt)}" width="{width}" height="{height}">'
    return f"<figure>{img}<figcaption>{escape(caption)}</figcaption></figure>"


def _with_body_chart(article: Article, story: stories.Story) -> None:
    """A second chart inside the body of market stories: the desk's inserted figure, as readers get it."""
    art = line_chart(f"{story.slug}-body", "Sector indices, 60 sessions")
    picture = picture_create(data=art.png, name="body.png", alt=art.alt, caption=art.caption, credit=art.credit)
    parts = article.body.split("</p>", 2)
    if len(parts) == 3:
        article.body = f"{parts[0]}</p>{parts[1]}</p>{_body_figure(picture)}{parts[2]}"


def pictures_seed(count: Callable[[str, bool], None], progress: Callable[[str], None]) -> None:
    chosen = [(i, s) for i, s in enumerate(stories.STORIES) if pictured(s, i)]
    articles = {a.slug: a for a in Article.objects.filter(slug__in=[s.slug for _, s in chosen])}
    done = 0
    for index, story in chosen:
        article = articles.get(story.slug)
        if article is None:
            continue
        created = article.lead_picture_id is None
        if created:
            article.lead_picture = _create(story.slug, story)
            if story.section in CHART_SECTIONS and index % 4 == 0:
                _with_body_chart(article, story)
            article.save()
        count("pictures", created)
        done += 1
        if done % 10 == 0 or done == len(chosen):
            progress(f"pictures: {done}/{len(chosen)}")


def logo_seed(publication: Publication) -> None:
    if publication.logo_id is None:
        art = masthead_logo(publication.name)
        publication.logo = picture_create(data=art.png, name="logo.png", alt=art.alt)
        publication.save(update_fields=["logo", "updated_at"])
