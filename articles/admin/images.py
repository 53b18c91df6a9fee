"""The image library in the admin."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html

from articles.admin.common import URL_FIELD_OVERRIDES
from articles.admin.image_forms import ImageForm
from articles.models import Image
from articles.uploads import display_name


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    formfield_overrides = URL_FIELD_OVERRIDES
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
        css = {"all": ["articles/admin/image_chooser.css"]}

    def get_queryset(self, request):
        # The list shows each image's smallest rendition: one query for all.
        return super().get_queryset(request).prefetch_related("renditions")

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
            '<img src="{}" alt="{}" style="max-width: 400px; height: auto">',
            image.thumbnail_url,
            image.alt_text,
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # Nothing to preview or measure before the upload.
            return [(None, {"fields": ["file"]}), *self.fieldsets[1:]]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
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
                name="articles_image_thumbnail",
            ),
            *super().get_urls(),
        ]

    def thumbnail_view(self, request, pk):
        if not self.has_view_or_change_permission(request):
            return redirect("admin:index")
        return redirect(get_object_or_404(Image, pk=pk).thumbnail_url)
