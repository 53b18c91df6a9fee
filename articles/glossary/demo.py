"""Demo glossary terms, loaded with the demo content.

Written for this project in plain words, for a reader with no medical
training. They are accurate in outline, but a real site has its clinicians
check each one, and adds its sources, before it goes live.
"""

from articles.glossary.models import Term
from articles.sanitize import clean_definition

# (term, slug, other forms, definition)
TERMS = [
    (
        "Antibody",
        "antibody",
        ["antibodies"],
        "A protein the immune system makes to stick to germs and mark them "
        "for destruction. Some cancer medicines are antibodies made in a lab.",
    ),
    (
        "Biopsy",
        "biopsy",
        ["biopsies", "bone marrow biopsy"],
        "Taking a small sample of tissue, such as bone marrow, so that it can "
        "be looked at under a microscope and tested.",
    ),
    (
        "Bispecific antibody",
        "bispecific-antibody",
        ["bispecific antibodies", "bispecifics"],
        "A lab-made antibody with two arms: one holds on to a cancer cell, the "
        "other to one of your immune cells, bringing them together so the "
        "immune cell can attack.",
    ),
    (
        "Bone marrow",
        "bone-marrow",
        [],
        "The soft, spongy tissue inside your bones where new blood cells are "
        "made. Myeloma grows here.",
    ),
    (
        "CAR-T cell therapy",
        "car-t-cell-therapy",
        ["CAR-T", "CAR T", "CAR-T therapy", "CAR T-cell therapy"],
        "A treatment that collects some of your own immune cells (T cells), "
        "changes them in a lab so they can find the cancer, and gives them "
        "back through a drip.",
    ),
    (
        "Chemotherapy",
        "chemotherapy",
        ["chemo"],
        "Medicines that kill cells that are dividing quickly, as cancer cells "
        "do. They also affect some healthy cells, which causes side effects.",
    ),
    (
        "Clinical trial",
        "clinical-trial",
        ["clinical trials"],
        "A carefully planned study that tests a new treatment, or a new way of "
        "using an existing one, in people who choose to take part.",
    ),
    (
        "Haematologist",
        "haematologist",
        ["haematologists", "hematologist", "hematologists"],
        "A doctor who specialises in diseases of the blood and bone marrow, "
        "including myeloma.",
    ),
    (
        "Immunotherapy",
        "immunotherapy",
        ["immunotherapies"],
        "Treatment that helps your own immune system find and attack cancer cells.",
    ),
    (
        "Light chains",
        "light-chains",
        ["light chain", "free light chains", "free light chain"],
        "Small pieces of antibody protein. Myeloma cells often make too many "
        "of one kind, and a blood or urine test can measure them.",
    ),
    (
        "Maintenance treatment",
        "maintenance-treatment",
        ["maintenance therapy"],
        "A lower dose of treatment taken for a long time after the main "
        "treatment, to keep the cancer under control for longer.",
    ),
    (
        "Minimal residual disease",
        "minimal-residual-disease",
        ["MRD"],
        "The very small number of cancer cells that can be left after "
        "treatment, too few to see with ordinary tests. Very sensitive tests "
        "can look for them.",
    ),
    (
        "Myeloma",
        "myeloma",
        ["multiple myeloma"],
        "A cancer of plasma cells in the bone marrow. It is called multiple "
        "myeloma because it often affects several places in the body.",
    ),
    (
        "Paraprotein",
        "paraprotein",
        ["paraproteins", "M-protein", "M protein"],
        "An abnormal antibody made by myeloma cells. Measuring it in the blood "
        "shows how active the myeloma is.",
    ),
    (
        "Plasma cell",
        "plasma-cell",
        ["plasma cells"],
        "A type of white blood cell, made in the bone marrow, that produces "
        "antibodies to fight infection.",
    ),
    (
        "Refractory",
        "refractory",
        [],
        "Describes cancer that does not respond to a treatment, or starts "
        "growing again while the treatment is still being given.",
    ),
    (
        "Relapse",
        "relapse",
        ["relapses", "relapsed", "relapsing"],
        "When cancer comes back, or starts growing again, after a time when it "
        "was under control.",
    ),
    (
        "Remission",
        "remission",
        ["remissions"],
        "A time when the signs of cancer have shrunk or gone away after "
        "treatment. It does not always mean the cancer has been cured.",
    ),
    (
        "Side effect",
        "side-effect",
        ["side effects", "side-effect", "side-effects"],
        "An unwanted effect of a treatment, such as tiredness or feeling sick. "
        "Many can be eased, so tell your care team about them.",
    ),
    (
        "Stem cell transplant",
        "stem-cell-transplant",
        ["stem cell transplants", "stem-cell transplant"],
        "Treatment with high-dose chemotherapy, followed by a drip of stem "
        "cells, usually collected from your own blood beforehand, that grow "
        "into new bone marrow.",
    ),
]


def demo_definition(definition):
    return clean_definition(f"<p>{definition}</p>")


def create_demo_terms():
    """The demo's terms, into an empty glossary only: its own terms are an
    editor's, and demo ones beside them could take their words."""
    if Term.objects.exists():
        return []
    terms = []
    for name, slug, forms, definition in TERMS:
        term = Term(
            term=name,
            slug=slug,
            other_forms="\n".join(forms),
            definition=demo_definition(definition),
        )
        term.full_clean()
        term.save()
        terms.append(term)
    return terms


def demo_terms():
    """The demo's terms: (as the demo wrote them, changed since)."""
    removable, kept = [], []
    written = {slug: (name, demo_definition(d)) for name, slug, _, d in TERMS}
    for term in Term.objects.filter(slug__in=written):
        if (term.term, term.definition) == written[term.slug]:
            removable.append(term)
        else:
            kept.append(term)
    return removable, kept
