from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address on another page, keeping every other query parameter.

    Page 1 drops the parameter, so the first page has a single address.
    """
    request = context["request"]
    query = request.GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    return f"{request.path}?{query.urlencode()}" if query else request.path
