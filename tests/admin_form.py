"""What a browser would post back from an admin change form, read from its HTML.

Tests that re-save an existing article post the form as the page rendered it,
so inlines added to the page later (with management forms of their own) do not
break them.
"""

from html.parser import HTMLParser


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


def form_data(client, url, form_id="article_form"):
    """The fields of the form at ``url``, as the page filled them in."""
    reader = FormReader(form_id)
    reader.feed(client.get(url).content.decode())
    # As browsers do, the newline that starts a <textarea> is not its text.
    data = {k: [v.removeprefix("\n") for v in vs] for k, vs in reader.data.items()}
    return {k: vs if len(vs) > 1 else vs[0] for k, vs in data.items()}


def review_data(client, url):
    """The review page's form as a browser would post it: the hidden mark of
    the text the reviewer read, and the suggested dates."""
    return form_data(client, url, form_id="review_form")
