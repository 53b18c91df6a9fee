"""Read an admin form from any page, such as a refused save's, the way a
browser would submit it (tests.admin_form reads it from a fresh GET)."""

from tests.admin_form import FormReader


def form_data(html, form_id="article_form"):
    """The form's fields for the test client, pressing "Save"."""
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
