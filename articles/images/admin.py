"""The image library in the admin."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote, unquote
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from articles.images import rights, uses
from articles.images.forms import URL_FIELD_OVERRIDES, ImageForm
from articles.images.models import Image
from articles.images.uploads import display_name


@dataclass(frozen=True)
class Shown:
    """One row that shows an image, linked to its admin page."""

    obj: models.Model
    url: str
    note: str


@dataclass(frozen=True)
class Uses:
    """The rows of one registered Use that show some images, as one person
    may see them."""

    use: uses.Use
    visible: list
    hidden: int

    @property
    def total(self):
        return len(self.visible) + self.hidden

    def __bool__(self):
        return self.total > 0

    @property
    def verbose_name(self):
        return self.use.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.use.model._meta.verbose_name_plural

    @property
    def one(self):
        return self.use.one or f"a {self.verbose_name}"

    @property
    def as_what(self):
        """What the rows show the image as, e.g. "featured image"."""
        return self.use.model._meta.get_field(self.use.field).verbose_name


def count_column(use):
    """A changelist column with the number of ``use``'s rows showing each image."""

    def column(image):
        return getattr(image, use.count_name)

    # The name gives the column its CSS class (field-article_count).
    column.__name__ = use.count_name
    return admin.display(
        description=capfirst(use.model._meta.verbose_name_plural),
        ordering=use.count_name,
    )(column)


@admin.action(
    permissions=["delete"],
    description=admin_actions.delete_selected.short_description,
)
def delete_selected(modeladmin, request, queryset):
    """Django's own action, whose confirmation also lists what shows the
    images."""
    response = admin_actions.delete_selected(modeladmin, request, queryset)
    if isinstance(response, TemplateResponse):
        response.context_data["uses"] = modeladmin.uses(request, queryset)
    return response


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    formfield_overrides = URL_FIELD_OVERRIDES
    actions = [delete_selected]
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["alt_text", "caption", "credit", "original_filename"]
    list_filter = ["is_decorative", "is_own_image", "uploaded_at"]
    readonly_fields = ["preview", "dimensions", "original_filename"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "file",
                    "kept_upload",
                    "preview",
                    "dimensions",
                    "original_filename",
                ]
            },
        ),
        ("Accessibility", {"fields": ["alt_text", "is_decorative", "caption"]}),
        (
            "Rights",
            {"fields": ["credit", "is_own_image", "source_url", "licence"]},
        ),
    ]
    # Below this width a featured image looks soft on large screens.
    recommended_width = 1600

    class Media:
        css = {"all": ["images/admin/image_chooser.css"]}

    def get_list_display(self, request):
        # Before the upload date: how many of each kind of row show the image.
        *columns, last = super().get_list_display(request)
        return [*columns, *map(count_column, uses.registered()), last]

    def get_queryset(self, request):
        # The list shows each image's smallest rendition: one query for all.
        return uses.annotate_counts(
            super().get_queryset(request).prefetch_related("renditions")
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or not rights.change_refusal(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"uploader": request.user})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        image = self.get_object(request, unquote(object_id))
        if image is None:
            return super().change_view(request, object_id, form_url, extra_context)
        # Said only to roles that change images at all (not to reviewers).
        if (
            request.method == "GET"
            and super().has_change_permission(request)
            and (refusal := rights.change_refusal(request.user, image))
        ):
            self.message_user(request, refusal, messages.WARNING)
        extra_context = (extra_context or {}) | {"uses": self.uses(request, image)}
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, unquote(object_id))
        extra_context = (extra_context or {}) | {
            "uses": self.uses(request, [image] if image else [])
        }
        return super().delete_view(request, object_id, extra_context)

    def uses(self, request, images):
        """What shows ``images``, one entry per registered Use: the rows this
        person may open, and how many others (whose names may be someone
        else's unpublished work)."""
        return [self.uses_of(use, request, images) for use in uses.registered()]

    def uses_of(self, use, request, images):
        using = use.of(images)
        model_admin = self.admin_site.get_model_admin(use.model)
        openable = model_admin.get_queryset(request).values("pk")
        url_name = admin_urlname(use.model._meta, "change")
        visible = [
            Shown(obj, reverse(url_name, args=[quote(obj.pk)]), use.note(obj))
            for obj in using.filter(pk__in=openable)
        ]
        return Uses(use, visible=visible, hidden=using.count() - len(visible))

    @admin.display(description="Thumbnail")
    def thumbnail(self, image):
        return format_html(
            '<img class="admin-thumbnail" src="{}" alt="{}" loading="lazy">',
            image.thumbnail_url,
            image.alt_text,
        )

    @admin.display(description="Current image")
    def preview(self, image):
        if not image.pk:
            return "—"
        # The 400 px rendition, not the camera original, shown no wider than it is.
        return format_html(
            '<img class="admin-preview" src="{}" alt="{}">',
            image.thumbnail_url,
            image.alt_text,
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # Nothing to preview or measure before the upload.
            return [(None, {"fields": ["file", "kept_upload"]}), *self.fieldsets[1:]]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        form.discard_kept_upload()
        upload = form.cleaned_data.get("file")
        facts = getattr(upload, "facts", None)
        if facts and facts.frames > 1:
            messages.warning(
                request,
                f"“{display_name(upload)}” is an animation: only its first frame "
                "is kept, as pages show no more of it.",
            )
        if obj.width and obj.width < self.recommended_width:
            messages.warning(
                request,
                f"This image is {obj.width} pixels wide. As a featured image it will "
                f"look soft on large screens: {self.recommended_width} pixels or "
                "more is best.",
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/thumbnail/",
                self.admin_site.admin_view(self.thumbnail_view),
                name="images_image_thumbnail",
            ),
            *super().get_urls(),
        ]

    def thumbnail_view(self, request, pk):
        if not self.has_view_or_change_permission(request):
            return redirect("admin:index")
        return redirect(get_object_or_404(Image, pk=pk).thumbnail_url)
