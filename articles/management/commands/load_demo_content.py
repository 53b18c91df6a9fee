"""Fill an empty site with a few demo articles, the site pages (About, how we
write and review, contact, privacy) and a glossary of about twenty terms, so
every page has something to show.

The texts are written for this demo. The references point at real organisations
and papers, but check them before reusing any of this as real content. The
authors are made up, and their names say so: readers must never take a demo
byline or review for a real clinician's.

Only the single-machine default gets it (settings.DEMO_CONTENT): a production
database, or one named in DATABASE_URL, only with --force. `manage.py
remove_demo_content` takes it all away again.
"""

import io
import random
from datetime import timedelta

import reversion
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from articles.glossary.demo import create_demo_terms
from articles.images.models import Image
from articles.models import (
    Article,
    Author,
    MedicalReview,
    Reference,
    Status,
    Tag,
    Topic,
)
from articles.models.editorial import months_later
from articles.pages.demo import create_demo_pages
from articles.pages.models import Page

IMAGE_SIZE = (1600, 900)
# The demo's medical reviewer, among AUTHORS: one who wrote none of the
# articles, since nobody reviews their own.
REVIEWER = "Demo Reviewer (sample)"
# What every demo revision says, so that its history shows where it came from.
REVISION_COMMENT = "Demo content loaded."

TOPICS = [
    (
        "Multiple myeloma",
        "How multiple myeloma starts, how it is found and what the tests mean.",
    ),
    (
        "Treatment",
        "The treatments doctors use for cancer, and how to weigh them up.",
    ),
    (
        "Relapse",
        "What happens when cancer comes back, and what can be done next.",
    ),
    (
        "Living with cancer",
        "Everyday life, feelings and support during and after treatment.",
    ),
]

TAGS = [
    "Blood tests",
    "Clinical trials",
    "Emotional wellbeing",
    "Follow-up care",
    "For families",
    "Treatment decisions",
]

AUTHORS = [
    {
        "name": "Demo Haematologist (sample)",
        "credentials": "Sample profile: haematologist",
        "bio": "A made-up author for the demo content, not a real person. A real "
        "profile would say who the author is, for example a consultant "
        "haematologist who runs a clinic for relapsed myeloma.",
    },
    {
        "name": "Demo Nurse (sample)",
        "credentials": "Sample profile: oncology nurse",
        "bio": "A made-up author for the demo content, not a real person. A real "
        "profile would say who the author is, for example a clinical nurse "
        "specialist in a haematology day unit.",
    },
    {
        "name": REVIEWER,
        "credentials": "Sample profile: clinical oncologist",
        "bio": "A made-up medical reviewer for the demo content, not a real "
        "person. A real profile would say who checks the articles against "
        "current treatment guidance, and their qualifications.",
    },
]
HAEMATOLOGIST, NURSE = AUTHORS[0]["name"], AUTHORS[1]["name"]

# Each article's "when" decides its state, so the demo shows live, updated,
# scheduled and draft articles side by side.
ARTICLES = [
    {
        "title": "What relapse means in multiple myeloma",
        "summary": "Myeloma often comes back after a period of control. Here is what "
        "doctors mean by relapse, how it is usually found, and why it does not "
        "mean the options have run out.",
        "author": HAEMATOLOGIST,
        "topics": ["Multiple myeloma", "Relapse"],
        "tags": ["Blood tests", "For families"],
        "when": {"published_days_ago": 63, "updated_days_ago": 12},
        "change_note": "Explained how doctors tell a rise in blood markers from a "
        "relapse that needs treatment.",
        "image": {
            "palette": ((214, 232, 240), (120, 170, 196), (250, 250, 245)),
            "alt_text": "Soft blue gradient with pale overlapping circles.",
            "caption": "Relapse is a common part of the myeloma journey.",
        },
        "body": """
<p>Multiple myeloma is a cancer of plasma cells, a kind of white blood cell
that normally makes antibodies to fight infection. Treatment can often bring
myeloma under control for months or years, but for most people it comes back at
some point. When myeloma returns after a period of being controlled, doctors
call this a relapse.</p>
<p>Hearing that word can be frightening. It may help to know that relapse is an
expected part of living with myeloma for many people, and that there are usually
more treatments to try. The
<a href="https://www.cancer.gov/types/myeloma/patient/myeloma-treatment-pdq">National
Cancer Institute’s patient guide to myeloma treatment</a> explains the disease
and its treatment in more detail.</p>
<h2>How doctors spot a relapse</h2>
<p>Many relapses are picked up by routine blood and urine tests before you
notice any change in how you feel. Your team keeps an eye on:</p>
<ul>
<li>the abnormal protein made by myeloma cells, often called the paraprotein or
M-protein</li>
<li>the level of free light chains in your blood</li>
<li>new bone pain, or new bone damage seen on a scan</li>
<li>your blood counts, kidney function and calcium level</li>
</ul>
<p>A slow rise in test results without any symptoms is sometimes called a
biochemical relapse. Doctors may watch this closely for a while rather than
change treatment straight away. When myeloma starts to cause symptoms or affect
organs such as the kidneys or bones, treatment usually changes. The
<a href="https://doi.org/10.1016/S1470-2045(16)30206-6">international criteria
specialists use to define response and relapse</a> describe how these changes
are measured.</p>
<h2>Relapsed and refractory</h2>
<p>You may also hear the word refractory. It means the myeloma did not respond
to a treatment, or came back while you were still taking it. Knowing whether
myeloma is relapsed, refractory or both helps your team decide what to try
next. If a word in a letter or a test report is unclear, it is always fine to
ask your nurse or doctor what it means for you.</p>
""",
        "references": [
            {
                "title": "Plasma Cell Neoplasms (Including Multiple Myeloma) "
                "Treatment (PDQ®) – Patient Version",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/types/myeloma/patient/"
                "myeloma-treatment-pdq",
            },
            {
                "title": "International Myeloma Working Group consensus criteria "
                "for response and minimal residual disease assessment in "
                "multiple myeloma",
                "publisher": "The Lancet Oncology",
                "authors": "Kumar S, Paiva B, Anderson KC, et al.",
                "published_year": 2016,
                "doi": "10.1016/S1470-2045(16)30206-6",
                "pubmed_id": "27511158",
            },
            {
                "title": "Understanding relapsed and refractory myeloma",
                "publisher": "International Myeloma Foundation",
                "url": "https://www.myeloma.org/understanding-relapsed-"
                "refractory-myeloma",
            },
        ],
    },
    {
        "title": "Treatment options after a myeloma relapse",
        "summary": "When myeloma comes back there is usually more than one way "
        "forward. An overview of the main kinds of treatment, clinical trials, "
        "and the questions that help you choose.",
        "author": HAEMATOLOGIST,
        "topics": ["Multiple myeloma", "Treatment", "Relapse"],
        "tags": ["Clinical trials", "Treatment decisions"],
        "when": {"published_days_ago": 24},
        "image": {
            "palette": ((226, 238, 222), (118, 168, 140), (246, 244, 232)),
            "alt_text": "Calm green gradient with soft rounded shapes.",
            "caption": "Choosing a treatment is a shared decision.",
        },
        "body": """
<p>When myeloma comes back, the next step is a conversation about treatment.
There is rarely one right answer. The choice depends on which medicines you
have had before, how well and how long they worked, any side effects you still
live with, your general health, and what matters most to you day to day.</p>
<h2>The main kinds of treatment</h2>
<p>Treatment after a relapse often combines two or three medicines that work in
different ways. Your team may suggest medicines from one or more of these
groups:</p>
<ul>
<li><strong>Immunomodulatory drugs</strong>, usually taken as capsules, which
help the immune system act against myeloma cells</li>
<li><strong>Proteasome inhibitors</strong>, which stop myeloma cells clearing
away unwanted proteins, so that the cells die</li>
<li><strong>Monoclonal antibodies</strong>, which attach to markers on myeloma
cells and help the immune system find them</li>
<li><strong>Steroids</strong>, which are usually given alongside other
medicines</li>
<li><strong>A stem cell transplant</strong>, for some people who are well
enough and who did well after an earlier transplant</li>
</ul>
<p>Newer treatments include CAR T-cell therapy, in which some of your own
immune cells are changed in a laboratory so that they recognise myeloma, and
bispecific antibodies, which bring immune cells and myeloma cells together.
These are usually offered after several earlier treatments, and whether you can
have them depends on where you live. The
<a href="https://themmrf.org/diagnosis-and-treatment/relapsed-refractory-myeloma/">Multiple
Myeloma Research Foundation’s overview of relapsed myeloma treatment</a> goes
through these options in more depth.</p>
<h2>Clinical trials</h2>
<p>A clinical trial can give you access to a treatment that is not yet widely
available. Trials have rules about who can join, so it is worth asking early
whether one might suit you. You can
<a href="https://www.cancer.gov/research/participate/clinical-trials-search">search
for cancer clinical trials on the National Cancer Institute website</a> or ask
your team which trials are open nearby.</p>
<h2>Deciding together</h2>
<p>It is reasonable to ask how likely each option is to help, which side effects
are common, how often you would need to come to hospital, and what would happen
if you chose to pause treatment for now. A
<a href="https://doi.org/10.1002/ajh.26590">review of myeloma care written for
specialists</a> shows how doctors weigh these factors; your own team can tell
you how they apply to you.</p>
""",
        "references": [
            {
                "title": "Relapsed/refractory multiple myeloma",
                "publisher": "Multiple Myeloma Research Foundation",
                "url": "https://themmrf.org/diagnosis-and-treatment/"
                "relapsed-refractory-myeloma/",
            },
            {
                "title": "Multiple myeloma: 2022 update on diagnosis, risk "
                "stratification, and management",
                "publisher": "American Journal of Hematology",
                "authors": "Rajkumar SV",
                "published_year": 2022,
                "doi": "10.1002/ajh.26590",
                "pubmed_id": "35560063",
            },
            {
                "title": "Find a cancer clinical trial",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/research/participate/"
                "clinical-trials-search",
            },
        ],
    },
    {
        "title": "Questions to ask at your follow-up appointments",
        "summary": "Follow-up visits can feel short. A little preparation, and a "
        "list of questions to choose from, helps you leave knowing where things "
        "stand and who to call.",
        "author": NURSE,
        "topics": ["Multiple myeloma", "Living with cancer"],
        "tags": ["Follow-up care", "Blood tests", "For families"],
        "when": {"published_days_ago": -7},
        "image": {
            "palette": ((246, 230, 214), (214, 150, 118), (252, 248, 240)),
            "alt_text": "Warm peach gradient with pale floating circles.",
            "caption": "Preparing for an appointment makes the time count.",
        },
        "body": """
<p>Follow-up appointments are a chance to find out how the myeloma is doing,
talk about how you are feeling, and plan what comes next. They can also feel
rushed, and it is easy to forget what you meant to ask. A little preparation
helps you make the most of the time.</p>
<h2>Before the appointment</h2>
<p>Write down any symptoms or changes since your last visit, even ones that
seem small, such as new aches, tiredness, infections, or tingling in your hands
or feet. Bring a list of all the medicines and supplements you take. Many
people find it helps to bring a family member or friend to listen and take
notes. The
<a href="https://www.cancer.gov/about-cancer/coping/survivorship/follow-up-care">National
Cancer Institute’s guide to follow-up medical care</a> has more ideas for
getting ready.</p>
<h2>Questions you might ask</h2>
<p>You will not need every question every time. Pick the ones that matter to
you today:</p>
<ol>
<li>What do my latest test results show, and how do they compare with last
time?</li>
<li>Is the myeloma stable, responding, or showing signs of coming back?</li>
<li>Could any of my symptoms be side effects, and what might help?</li>
<li>When is my next test or scan, and what will it look for?</li>
<li>Which symptoms should I report straight away, and who do I call out of
hours?</li>
<li>Is there help for my emotional health, money worries or my family?</li>
</ol>
<p>The
<a href="https://www.myeloma.org/understanding-your-test-results">International
Myeloma Foundation’s guide to understanding your test results</a> explains the
blood and urine tests you are likely to hear about, which can make the answers
easier to follow.</p>
<h2>After the appointment</h2>
<p>Keep your notes and results together in one folder or notebook so you can
see how things change over time. If something seems unclear once you are home,
contact your specialist nurse. Asking again is part of good care, not a
nuisance.</p>
""",
        "references": [
            {
                "title": "Follow-up medical care",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/about-cancer/coping/survivorship/"
                "follow-up-care",
            },
            {
                "title": "Understanding your test results",
                "publisher": "International Myeloma Foundation",
                "url": "https://www.myeloma.org/understanding-your-test-results",
            },
        ],
    },
    {
        "title": "Coping with fear of recurrence",
        "summary": "Worrying that cancer will come back is common, especially "
        "around test dates. Practical ways to live alongside the fear, and signs "
        "that it is time to ask for more support.",
        "author": NURSE,
        "topics": ["Living with cancer", "Relapse"],
        "tags": ["Emotional wellbeing", "For families"],
        "when": {"published_days_ago": None},
        "image": {
            "palette": ((232, 226, 242), (150, 136, 190), (248, 246, 252)),
            "alt_text": "Gentle lavender gradient with soft overlapping shapes.",
            "caption": "Fear of recurrence tends to come and go.",
        },
        "body": """
<p>Many people who have been treated for cancer worry that it will come back.
This is often called fear of recurrence. With myeloma, where regular tests are
part of life and relapse is common, the worry can feel especially close.
Feeling this way is normal, and it does not mean you are coping badly.</p>
<p>For most people the fear comes and goes. It often rises before scans or
blood tests, around the anniversary of a diagnosis, or when someone you know
becomes unwell. Researchers who
<a href="https://doi.org/10.1007/s11764-013-0272-z">reviewed many studies of
fear of recurrence in cancer survivors</a> found it to be one of the concerns
people mention most often after treatment.</p>
<h2>Things that can help</h2>
<ul>
<li>Put the worry into words. Telling someone you trust “I am anxious about my
results next week” can make it feel more manageable.</li>
<li>Ask your team which signs need a phone call and which can wait until your
next visit.</li>
<li>Plan something to look forward to around test dates, so those days are not
only about waiting.</li>
<li>Keep up activities that steady you, such as walking, seeing friends, music
or time outdoors.</li>
<li>Go easy on late-night searching online, which tends to surface worst-case
stories that may not apply to you.</li>
</ul>
<h2>When to ask for more support</h2>
<p>If the fear is affecting your sleep, appetite, relationships or ability to
enjoy things on most days, tell your nurse or doctor. Talking therapies and
support groups help many people, and your team can refer you. The
<a href="https://www.cancer.gov/about-cancer/coping/feelings">National Cancer
Institute’s advice on coping with feelings during and after cancer</a> lists
other places to find help.</p>
<h2>For family and friends</h2>
<p>People close to someone with myeloma often carry the same fear. It is fine
to admit that to each other. Listening without rushing to reassure can help
more than promising that everything will be fine.</p>
""",
        "references": [
            {
                "title": "Fear of cancer recurrence in adult cancer survivors: a "
                "systematic review of quantitative studies",
                "publisher": "Journal of Cancer Survivorship",
                "authors": "Simard S, Thewes B, Humphris G, et al.",
                "published_year": 2013,
                "doi": "10.1007/s11764-013-0272-z",
                "pubmed_id": "23475398",
            },
            {
                "title": "From normal response to clinical problem: definition and "
                "clinical features of fear of cancer recurrence",
                "publisher": "Supportive Care in Cancer",
                "authors": "Lebel S, Ozakinci G, Humphris G, et al.",
                "published_year": 2016,
                "doi": "10.1007/s00520-016-3272-5",
                "pubmed_id": "27169703",
            },
            {
                "title": "Feelings and cancer",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/about-cancer/coping/feelings",
            },
        ],
    },
]


class Command(BaseCommand):
    help = "Load demo topics, authors, articles and site pages into an empty site."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load it even into a production database (DJANGO_PRODUCTION, or "
            "DATABASE_URL set); still only into an empty site.",
        )

    def handle(self, *args, force=False, **options):
        if not (force or settings.DEMO_CONTENT):
            self.stdout.write(
                "Demo content not loaded: this is a production database "
                "(DJANGO_PRODUCTION is on, or DATABASE_URL names it). To load it "
                "anyway: manage.py load_demo_content --force, or DEMO_CONTENT=1."
            )
            return
        # Never into a real site: demo pages would tell its readers who runs
        # it and who pays for it, untruly.
        if Article.objects.exists() or Page.objects.exists():
            self.stdout.write(
                "Articles or site pages already exist; demo content not loaded."
            )
            return
        now = timezone.now()
        with transaction.atomic():
            topics = create_topics()
            tags = create_tags()
            authors = create_authors()
            # Before the articles, whose first use of each term links it.
            terms = create_demo_terms()
            articles = []
            for data in ARTICLES:
                # Each article starts its history with a first revision.
                with reversion.create_revision():
                    reversion.set_comment(REVISION_COMMENT)
                    articles.append(create_article(data, now, topics, tags, authors))
            pages = create_demo_pages()
        self.stdout.write(self.style.SUCCESS(summary_line(articles, pages, terms)))


def create_topics():
    return {
        name: Topic.objects.create(
            name=name, slug=slugify(name), description=description
        )
        for name, description in TOPICS
    }


def create_tags():
    return {name: Tag.objects.create(name=name, slug=slugify(name)) for name in TAGS}


def create_authors():
    return {
        data["name"]: Author.objects.create(slug=slugify(data["name"]), **data)
        for data in AUTHORS
    }


def create_article(data, now, topics, tags, authors):
    published_at, updated_at = publish_times(data["when"], now)
    article = Article(
        title=data["title"],
        slug=slugify(data["title"]),
        summary=data["summary"],
        body=data["body"].strip(),
        author=authors[data["author"]],
        featured_image=create_image(data["title"], data["image"]),
        status=Status.DRAFT if published_at is None else Status.PUBLISHED,
        published_at=published_at,
        updated_at=updated_at,
    )
    article.full_clean()
    article.save()
    if article.updated_at:
        # An "Updated" date always comes with its line in "What changed".
        article.change_notes.create(
            changed_at=article.updated_at, note=data["change_note"]
        )
    if published_at is not None:
        record_review(article, authors[REVIEWER], published_at)
    article.topics.set(topics[name] for name in data["topics"])
    article.tags.set(tags[name] for name in data["tags"])
    # A source is read before the article goes out, never after.
    accessed_on = min(published_at or now, now).date() - timedelta(days=14)
    for position, reference in enumerate(data["references"], start=1):
        create_reference(article, position, reference, accessed_on)
    return article


def record_review(article, reviewer, published_at):
    """A clinician checked it shortly before it went out."""
    reviewed_on = timezone.localdate(published_at - timedelta(days=2))
    review = MedicalReview(
        article=article,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        next_review_on=months_later(
            reviewed_on, settings.MEDICAL_REVIEW_INTERVAL_MONTHS
        ),
        comment="Checked against current guidance.",
    )
    # Recorded by a command, not a login.
    review.full_clean(exclude=["recorded_by"])
    review.save()


def publish_times(when, now):
    days_ago = when["published_days_ago"]
    if days_ago is None:
        return None, None
    published_at = now - timedelta(days=days_ago)
    updated_days_ago = when.get("updated_days_ago")
    updated_at = (
        None if updated_days_ago is None else now - timedelta(days=updated_days_ago)
    )
    return published_at, updated_at


def create_reference(article, position, data, accessed_on):
    reference = Reference(article=article, position=position, **data)
    # Only web pages change after publication; a journal article's DOI is enough.
    if reference.url:
        reference.accessed_on = accessed_on
    reference.full_clean()
    reference.save()
    return reference


def image_description(data):
    """What the library says of a demo picture, besides its file."""
    return {
        "alt_text": data["alt_text"],
        "caption": data["caption"],
        "credit": "Demo Studio / illustration",
        "licence": "Demo content, free to reuse",
    }


def create_image(title, data):
    image = Image(
        file=ContentFile(
            render_artwork(data["palette"], seed=title),
            name=f"{slugify(title)}.jpg",
        ),
        **image_description(data),
    )
    image.full_clean()
    image.save()
    return image


def render_artwork(palette, seed):
    """A calm gradient with a few soft circles, as JPEG bytes."""
    top, bottom, accent = palette
    width, height = IMAGE_SIZE
    mask = PILImage.linear_gradient("L").resize(IMAGE_SIZE)
    canvas = PILImage.composite(
        PILImage.new("RGB", IMAGE_SIZE, bottom),
        PILImage.new("RGB", IMAGE_SIZE, top),
        mask,
    )
    # Seeding by title keeps each article's picture the same between runs.
    rng = random.Random(seed)
    # Transparent accent, not transparent black, so the blur leaves no dark rims.
    shapes = PILImage.new("RGBA", IMAGE_SIZE, (*accent, 0))
    draw = ImageDraw.Draw(shapes)
    for _ in range(7):
        radius = rng.randint(90, 320)
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = rng.choice((accent, top, bottom))
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=(*colour, rng.randint(50, 110)),
        )
    shapes = shapes.filter(ImageFilter.GaussianBlur(6))
    canvas = PILImage.alpha_composite(canvas.convert("RGBA"), shapes).convert("RGB")
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def summary_line(articles, pages, terms):
    live = sum(article.is_published() for article in articles)
    scheduled = sum(article.is_scheduled() for article in articles)
    drafts = sum(article.status == Status.DRAFT for article in articles)
    return (
        f"Loaded {len(articles)} demo articles "
        f"({live} live, {scheduled} scheduled, {drafts} draft), "
        f"{len(pages)} site pages and {len(terms)} glossary terms."
    )
