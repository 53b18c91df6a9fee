from django.views.generic import DetailView, ListView

from articles.glossary.models import Term


class TermListView(ListView):
    """Every term, A to Z, with its definition."""

    template_name = "glossary/term_list.html"

    def get_queryset(self):
        return Term.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letters"] = self.object_list.by_initial()
        return context


class TermDetailView(DetailView):
    template_name = "glossary/term_detail.html"

    def get_queryset(self):
        return Term.objects.prefetch_related("sources")
