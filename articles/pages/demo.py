"""Demo versions of the site pages, loaded with the demo content.

The organisation they describe is invented, and each page says so first. What
they say about the software is true of this project as it ships: reader pages
set no cookies and load nothing from other sites, and the server's access log
holds what the privacy page lists (gunicorn's default format).
"""

from articles.pages.models import Page, Purpose

DEMO_NOTICE = (
    "<p><strong>Demo content.</strong> The organisation on this page is "
    "invented, to show what the page should say. Rewrite it with the facts "
    "about your own site before the site goes live.</p>"
)

PAGES = [
    {
        "title": "About this site",
        "slug": "about",
        "purpose": Purpose.ABOUT,
        "body": """
<h2>Who runs it</h2>
<p>This site is written by a small independent team: an editor, two writers
and a panel of clinicians who check every article about health before it is
published. We are not part of a hospital, a drug company or a charity.</p>
<h2>What it is for</h2>
<p>We explain multiple myeloma and cancer relapse in plain language, for
people living with cancer and those close to them. Our articles help you
understand your situation and prepare for conversations with your care team.
They do not replace advice from your own doctors and nurses, who know your
history.</p>
<h2>Who pays for it</h2>
<p>The team pays for the site itself. We take no money from companies that
make medicines, tests or medical devices, and no grants that come with a say
in what we write.</p>
<h2>Advertising</h2>
<p>There are no adverts on this site and no sponsored articles. Nobody can
pay to be mentioned or linked to.</p>
<h2>More about how we work</h2>
<p>Our page on <a href="/editorial-policy/">how we write and review</a>
explains where our information comes from, who checks it and how we correct
mistakes. To reach us, see <a href="/contact/">contact us</a>.</p>
""",
    },
    {
        "title": "How we write and review",
        "slug": "editorial-policy",
        "purpose": Purpose.EDITORIAL_POLICY,
        "body": """
<h2>Where our information comes from</h2>
<p>We write from sources that have been checked by experts: clinical
guidelines, reviews of many studies, papers in medical journals, and
information from national cancer organisations. Every article lists its
sources at the end, with their dates, so you can read them yourself.</p>
<h2>How we write</h2>
<p>We use everyday words and explain medical terms the first time they
appear. Where doctors disagree, or the evidence is not yet clear, we say so
rather than pick a side.</p>
<h2>Medical review</h2>
<p>Before an article about health is published, a clinician with experience
of the subject checks it against current evidence. The article shows who
reviewed it, their qualifications and the date of the review. We review
every article again at least once a year, and sooner when a new treatment or
new evidence changes the advice. Each article shows when its next review is
due.</p>
<h2>Updates and corrections</h2>
<p>When we change what an article says, and not only its wording, the
article shows the date and a line about what changed. If we get something
wrong, we correct it as soon as we can and say so on the page. You can tell
us about a mistake through our <a href="/contact/">contact page</a>.</p>
<h2>Conflicts of interest</h2>
<p>Everyone who writes or reviews for us tells the editor about any payment,
shares, advisory work or research funding from companies whose products
they might write about. Nobody writes or reviews an article on a subject
where they have such an interest.</p>
""",
    },
    {
        "title": "Contact us",
        "slug": "contact",
        "purpose": Purpose.CONTACT,
        "body": """
<p>Email the editorial team at
<a href="mailto:editor@example.org">editor@example.org</a>. We read every
message and aim to reply within five working days.</p>
<h2>Reporting a mistake</h2>
<p>If you think an article is wrong or out of date, tell us which article,
what you think is wrong and, if you can, where you read otherwise. A
clinician looks at every report about medical content. If we change the
article, the change is noted on it.</p>
<h2>What we cannot help with</h2>
<p>We cannot give advice about your own health or treatment: please ask your
care team. In an emergency, call 999 in the UK, or your local emergency
number.</p>
""",
    },
    {
        "title": "Privacy",
        "slug": "privacy",
        "purpose": Purpose.PRIVACY,
        "body": """
<h2>What we do not collect</h2>
<p>Reading this site sets no cookies. There is no analytics, no advertising
and no social media button, and nothing on our pages is loaded from another
company: the words, pictures and styles all come from our own server.</p>
<h2>What our server records</h2>
<p>Like almost every web server, ours writes a line to its log for each
page or picture it sends: the internet address of your device, the date and
time, the address of the page (including any words you searched for, as
they are part of that address), whether it worked and how large it was, the
page you came from if your browser says so, and the name and version of
your browser. We use these lines only to keep the site working and safe, we
do not share them, and we delete them after 14 days.</p>
<h2>If you email us</h2>
<p>We keep your message and your address only to reply and to deal with what
you told us, and delete them within a year. We never add you to a mailing
list.</p>
<h2>Your rights</h2>
<p>You can ask us what we hold about you, and ask us to correct or delete
it, by writing to the address on our <a href="/contact/">contact
page</a>.</p>
""",
    },
]


def create_demo_pages():
    pages = []
    for position, data in enumerate(PAGES, start=1):
        page = Page(
            **data | {"body": DEMO_NOTICE + data["body"].strip()},
            position=position,
            is_published=True,
        )
        page.full_clean()
        page.save()
        pages.append(page)
    return pages
