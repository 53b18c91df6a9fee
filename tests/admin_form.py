"""The admin's article form, for tests that post to it.

``article_form`` builds a whole new article's fields by hand. Tests that
re-save an existing article post the form as the page rendered it
(``form_data``, ``form_fields``), so inlines added to the page later, with
management forms of their own, do not break them.
"""

from html.parser import HTMLParser

from django.urls import reverse

ADD_ARTICLE = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def errors_of(response):
    """A refused save's errors: the page's error list and the form's."""
    context = response.context
    return context and [context["errors"], context["adminform"].form.errors]


def reference_forms(*references):
    data = {
        "references-TOTAL_FORMS": str(len(references)),
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    for index, reference in enumerate(references):
        data |= {f"references-{index}-{key}": value for key, value in reference.items()}
    return data


def article_form(**fields):
    return {
        "slug_redirects-TOTAL_FORMS": "0",
        "slug_redirects-INITIAL_FORMS": "0",
        "title": "Relapse after a stem cell transplant",
        "slug": "relapse-after-transplant",
        "summary": "What happens when myeloma returns after a transplant.",
        "body": '<h2>First steps</h2><p>Read <a href="https://themmrf.org/">the MMRF guide</a>.</p><ul><li>Ask about trials</li></ul>',
        "published_at_0": "2023-05-05",
        "published_at_1": "09:30:00",
        "updated_at_0": "",
        "updated_at_1": "",
        **reference_forms(
            {
                "position": "1",
                "title": "Relapsed and refractory myeloma",
                "publisher": "Multiple Myeloma Research Foundation",
                "url": "https://themmrf.org/multiple-myeloma/relapsed/",
                "accessed_on": "2023-05-01",
            },
            {
                "position": "2",
                "title": "Targeted therapy at relapse",
                "publisher": "Blood",
                "url": "https://ashpublications.org/blood/article/1",
                "doi": "10.1182/blood.2020008805",
                "pubmed_id": "32649747",
                "published_year": "2021",
            },
        ),
    } | fields


class FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.textarea, self.select = None, None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio"):
                self.add(name, attrs.get("value", ""))
            elif "checked" in attrs:
                self.add(name, attrs.get("value", "on"))
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_data(self, text):
        if self.textarea:
            self.data[self.textarea][-1] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_fields(html, form_id="article_form"):
    """The fields of the form in ``html`` (a fresh page or a refused save's),
    as a browser would post them on "Save"."""
    reader = FormReader(form_id)
    reader.feed(html)
    # As browsers do, the newline that starts a <textarea> is not its text.
    data = {
        name: [value.removeprefix("\n") for value in values]
        for name, values in reader.data.items()
        if "__prefix__" not in name
    }
    fields = {name: vs if len(vs) > 1 else vs[0] for name, vs in data.items()}
    return fields | {"_save": "Save"}


def form_data(client, url, form_id="article_form"):
    """The fields of the form at ``url``, as the page filled them in."""
    return form_fields(client.get(url).content.decode(), form_id)


def review_data(client, url):
    """The review page's form as a browser would post it: the hidden mark of
    the text the reviewer read, and the suggested dates."""
    return form_data(client, url, form_id="review_form")


def post_review(client, article, decision="approve", **fields):
    """The review page's form posted with ``decision``, as a reviewer sends it
    on 30 November 2026."""
    review_url = reverse("admin:articles_article_review", args=[article.pk])
    return client.post(
        review_url,
        review_data(client, review_url)
        | {
            "decision": decision,
            "reviewed_on": "2026-11-30",
            "next_review_on": "2027-11-30",
        }
        | fields,
    )
