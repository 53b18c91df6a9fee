"""The image form: a checked upload of an image big enough to feature."""

from django import forms
from django.core.exceptions import ValidationError

from articles.admin.common import https_url_formfield
from articles.models import Image
from articles.models.images import featured_size_problem
from articles.uploads import VerifiedImageFormField, display_name


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = [
            "file",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "is_own_image",
            "source_url",
            "licence",
        ]
        formfield_callback = https_url_formfield
        field_classes = {"file": VerifiedImageFormField}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        facts = getattr(upload, "facts", None)
        # Library images have one use, as featured images: one too small for
        # that would only be refused later, when an editor chooses it.
        if facts and (
            problem := featured_size_problem(
                facts.width, facts.height, f"“{display_name(upload)}”"
            )
        ):
            raise ValidationError(problem, code="image_too_small")
        return upload
