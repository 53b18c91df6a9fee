from django import template

register = template.Library()


@register.tag
def kept(parser, token):
    """``{% kept "head" %}…{% endkept %}``: a part of the article page that is
    rendered once and kept (articles.page_parts), when the view gives the
    template a ``page_keeper``; rendered as usual otherwise."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("kept takes one part name") from None
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(name.strip("\"'"), nodelist)


class KeptNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        keeper = context.get("page_keeper")
        if keeper is None:
            return self.nodelist.render(context)
        return keeper.part(self.name, lambda: self.nodelist.render(context), context)
