"""The image form: the checked upload, kept across a refused save."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from articles.images import pending_uploads
from articles.images.models import Image, featured_size_problem
from articles.images.uploads import VerifiedImageFormField, display_name

# Links typed without a scheme ("cancer.gov/...") are taken as https.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_url_formfield(db_field, **kwargs):
    return db_field.formfield(**URL_FIELD_OVERRIDES.get(type(db_field), {}) | kwargs)


class ImageForm(forms.ModelForm):
    kept_upload = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by ImageAdmin.get_form(): a kept upload is given back only to the
    # person who chose it.
    uploader = None

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_token = ""
        if not self.is_bound or self.uploader is None:
            return
        token = self.data.get(self.add_prefix("kept_upload"), "")
        if self.files.get(self.add_prefix("file")):
            # A new choice replaces what was kept.
            if token:
                pending_uploads.discard(token, self.uploader)
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_upload")] = ""
        elif token and (kept := pending_uploads.take(token, self.uploader)):
            self.files = self.files.copy()
            self.files[self.add_prefix("file")] = kept
            self.kept_token = token

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

    def full_clean(self):
        super().full_clean()
        if (
            self.is_bound
            and self.uploader is not None
            and self._errors
            and not self.has_error("file")
        ):
            self.keep_upload()

    def keep_upload(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return  # The stored file, unchanged: nothing to keep.
        if not self.kept_token:
            self.kept_token = pending_uploads.keep(upload, self.uploader)
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_upload")] = self.kept_token
        facts = upload.facts
        # On the bound field too: it copied the help text while cleaning.
        self.fields["file"].help_text = self["file"].help_text = (
            f"“{display_name(upload)}” ({facts.width} × {facts.height} pixels) is "
            "kept: correct the errors below and save, and it is uploaded. To use "
            "another file, choose it instead."
        )

    def discard_kept_upload(self):
        """After a save: the kept file is in the library now."""
        if self.kept_token:
            pending_uploads.discard(self.kept_token, self.uploader)
            self.kept_token = ""
