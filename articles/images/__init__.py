"""The image library: uploads checked and cleaned, and the renditions pages serve.

An app of its own inside articles, as wagtail.images is inside wagtail, and it
imports nothing of the articles. What it must know of the things that show its
images comes from the apps that show them: they register each use (uses.py),
so the library can count, list and warn about an image's uses, and any rule
on who may change an image (rights.py). The articles plug in from their
AppConfig.ready(). Its tables keep the names they had when the images were
part of the articles app (``articles_image``, ``articles_rendition``).
"""
