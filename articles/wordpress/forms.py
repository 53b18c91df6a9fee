"""The admin's upload of a WordPress export and its uploads folder.

Both files are checked before anything is stored: the export's beginning is
read with the importer's own safe parser (a document type, and with it every
entity attack, is refused there), and the zip's directory for everything
uploads_zip refuses. When only the zip is refused, the export is kept, as an
image upload is (articles/images/pending_uploads.py), so that a large export
need not be sent again with the corrected zip.
"""

from contextlib import closing

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from articles.images import pending_uploads
from articles.wordpress import uploads_zip, wxr
from articles.wordpress.models import WordPressImport


class WordPressImportForm(forms.ModelForm):
    # Set by the admin: whose kept export this form may take back.
    uploader = None
    kept_export = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = WordPressImport
        fields = ["export", "uploads_zip", "as_drafts", "is_dry_run"]
        widgets = {
            "export": forms.FileInput(attrs={"accept": ".xml,text/xml"}),
            "uploads_zip": forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_token = ""
        if not self.is_bound or self.uploader is None:
            return
        token = self.data.get(self.add_prefix("kept_export"), "")
        if self.files.get(self.add_prefix("export")):
            if token:  # A new choice replaces what was kept.
                pending_uploads.discard(token, self.uploader)
        elif token and (kept := pending_uploads.take(token, self.uploader)):
            self.files = self.files.copy()
            self.files[self.add_prefix("export")] = kept
            self.kept_token = token

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if isinstance(upload, UploadedFile):
            upload.seek(0)
            try:
                # Its beginning, up to the first record, is enough to know
                # it for an export; the import reads the rest.
                with closing(wxr.read(upload)) as records:
                    next(records, None)
            except wxr.NotAnExport as error:
                raise ValidationError(
                    "%(name)s: %(error)s",
                    code="not_an_export",
                    params={"name": upload.name, "error": error},
                ) from None
            finally:
                upload.seek(0)
        return upload

    def clean_uploads_zip(self):
        upload = self.cleaned_data["uploads_zip"]
        if isinstance(upload, UploadedFile):
            upload.seek(0)
            try:
                uploads_zip.check(upload)
            finally:
                upload.seek(0)
        return upload

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.uploader is not None and self._errors:
            self.keep_export()

    def keep_export(self):
        upload = self.cleaned_data.get("export")
        if not isinstance(upload, UploadedFile):
            return
        if not self.kept_token:
            self.kept_token = pending_uploads.keep(upload, self.uploader)
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_export")] = self.kept_token
        self.fields["export"].help_text = self["export"].help_text = (
            f"“{upload.name}” is kept: correct the errors below and import, and "
            "it is used. To use another export, choose it instead."
        )
        # Kept, so no longer required: the field may be left empty.
        self.fields["export"].required = False

    def discard_kept_export(self):
        """After a save: the export is stored with the import now."""
        if self.kept_token:
            pending_uploads.discard(self.kept_token, self.uploader)
            self.kept_token = ""
