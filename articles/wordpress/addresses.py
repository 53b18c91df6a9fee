"""The addresses a WordPress post had, so each can lead to its article.

WordPress answers a post at its permalink (the export's ``link``, in whatever
structure the site chose), at "/?p=ID" whatever the structure, and, through
its canonical redirects, at the common structures: "/YYYY/MM/DD/slug/" and
the slug under its categories ("/category/relapse/slug/"). Links to all of
them are out there.
"""

from urllib.parse import unquote

from articles.wordpress.models import MAX_PATH, normalize_path


def category_path(category, parents):
    """ "parent/child" for a category, from the slugs of its parents."""
    trail, seen = [], set()
    while category and category not in seen:
        seen.add(category)
        trail.insert(0, category)
        category = parents.get(category, "")
    return "/".join(trail)


def old_addresses(item, published_at_local, parents):
    """The normalized old paths of a post, without repeats, in order.

    ``published_at_local`` is the post's date as its site showed it (dates in
    permalinks are in the site's zone); ``parents`` maps each category's slug
    to its parent's.
    """
    slug = unquote(item.post_name).strip("/")
    candidates = []
    if item.link:
        candidates.append(item.link)
    if item.post_id:
        candidates.append(f"/?p={item.post_id}")
    if slug and published_at_local is not None:
        candidates.append(f"{published_at_local:/%Y/%m/%d}/{slug}/")
    if slug:
        for kind, category, _ in item.terms:
            if kind == "category" and category:
                # With its parents, as WordPress writes it, and alone, as
                # WordPress also answers it.
                candidates.append(
                    f"/category/{category_path(category, parents)}/{slug}/"
                )
                candidates.append(f"/category/{category}/{slug}/")
    paths = []
    for candidate in candidates:
        path = normalize_path(candidate)
        if path not in paths and path != "/" and len(path) <= MAX_PATH:
            paths.append(path)
    return paths
