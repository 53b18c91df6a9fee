"""Moving from WordPress: its WXR export imported as articles, with images,
credits, sources, dates, feed ids and old addresses.

An app of its own inside articles, as the image library is: it holds what
the import remembers (which WordPress post became which article, which
attachment which image) and the old addresses it answers with a 301
(``OldAddress``, ``middleware.OldAddressMiddleware``). The import itself is
in small modules: ``wxr`` reads the export, ``body`` cleans a post's HTML,
``credits`` and ``sources`` take the credit line and the references out of
it, ``media`` brings in the images, ``addresses`` works out the old
permalinks, and ``importer`` puts one post at a time in the database. The
admin's upload (``admin``, ``forms``) checks a zip of the uploads folder in
``uploads_zip`` and runs the importer in ``background``.
"""
