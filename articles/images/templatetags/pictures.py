from django import template

register = template.Library()


@register.inclusion_tag("images/_picture.html")
def picture(image, sizes, css_class="", lazy=False, priority=False):
    """A <picture> of an Image: WebP where the browser takes it, else JPEG or PNG.

    ``sizes`` tells the browser how wide the image is laid out, so it fetches the
    smallest rendition that is sharp enough. ``lazy`` is for images below the
    fold; ``priority`` for the one that is the page's largest paint.
    """
    fallback = image.fallback_format
    return {
        "image": image,
        "alt": "" if image.is_decorative else image.alt_text,
        "sizes": sizes,
        "webp_srcset": image.srcset("webp"),
        "fallback_srcset": image.srcset(fallback) if fallback else "",
        "src": image.src_url,
        "css_class": css_class,
        "lazy": lazy,
        "priority": priority,
    }
