from django import forms
from django.urls import reverse


class ImageChooserWidget(forms.Select):
    """A select of library images that shows a thumbnail of the chosen one.

    The preview follows the selection, including an image just uploaded through
    the “+” pop-up, by asking the image admin for the thumbnail of that id.
    """

    template_name = "images/widgets/image_chooser.html"

    class Media:
        js = [
            "admin/js/vendor/jquery/jquery.js",
            "admin/js/jquery.init.js",
            "images/admin/image_chooser.js",
        ]
        css = {"all": ["images/admin/image_chooser.css"]}

    def get_context(self, name, value, attrs):
        attrs = (attrs or {}) | {
            "data-thumbnail-url-template": reverse(
                "admin:images_image_thumbnail", args=[0]
            )
        }
        context = super().get_context(name, value, attrs)
        # From the options, not the value: after a refused save the value is
        # whatever was posted ("abc"), which has no thumbnail and no URL.
        chosen = chosen_id(context["widget"]["optgroups"])
        context["widget"]["thumbnail_url"] = (
            reverse("admin:images_image_thumbnail", args=[chosen]) if chosen else ""
        )
        return context


def chosen_id(optgroups):
    for _, options, _ in optgroups:
        for option in options:
            if option["selected"] and option["value"]:
                return str(option["value"])
    return None
