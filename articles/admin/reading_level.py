"""The body's reading level in the article form.

The panel under the body is rendered with the page, from the body as stored
or as just submitted; as the editor types, the editor's ReadingLevel extension
(static/articles/admin/reading_level.js) sends the body to ReadingLevelView
after each pause and shows its answer. Both measure as the saved article is
measured (articles.reading_level).
"""

from django.http import JsonResponse
from django.views import View

from articles.admin.forms import BODY_MAX_CHARACTERS
from articles.models import PlainerWord
from articles.reading_level import measure


class ReadingLevelView(View):
    """The reading level of the body posted as ``body``, as JSON, for those
    who may write articles."""

    model_admin = None
    http_method_names = ["post"]

    def post(self, request):
        if not (
            self.model_admin.has_add_permission(request)
            or self.model_admin.has_change_permission(request)
        ):
            return JsonResponse({"error": "You may not write articles."}, status=403)
        body = request.POST.get("body")
        if body is None:
            return JsonResponse(
                {"error": "Send the body’s HTML in the field “body”."}, status=400
            )
        if len(body) > BODY_MAX_CHARACTERS:
            return JsonResponse(
                {"error": "The body is longer than an article may be."}, status=400
            )
        return JsonResponse(measure(body, PlainerWord.objects.pairs()).as_json())


def above_target_message(article, target):
    return (
        f"The article was saved, but it reads at grade {article.reading_grade:g}, "
        f"above the target of grade {target:g}. Shorter sentences and plainer "
        "words bring the grade down: the reading level under the body shows "
        "where to start. This does not stop the article being published."
    )
