"""Realistic made-up articles in bulk, for search benchmarks (generate_articles).

The text is nonsense at the level of meaning but not of statistics: sentences
of 8 to 25 words from a vocabulary of medical and everyday words, drawn with a
Zipf-like skew so that a few words are everywhere and most are uncommon, as in
real writing. Some terms are placed on purpose, for the benchmark's queries:
"treatment" is in nearly every article, "stem cell transplant" in about a
third, and "amyloidosis" in exactly one article in 500.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.text import slugify


def split(text, separator=None):
    """The items of a list written as one string: words, or |-separated."""
    return [item.strip() for item in text.split(separator) if item.strip()]


# Every RARE_EVERY-th article mentions RARE_TERM: 100 articles in 50,000.
RARE_TERM = "amyloidosis"
RARE_EVERY = 500

TOPICS = split(
    "Multiple myeloma|Lymphoma|Leukaemia|Breast cancer|Bowel cancer|Lung cancer|"
    "Prostate cancer|Relapse|Treatment|Side effects|Clinical trials|"
    "Living with cancer|Caring for someone|Diet and exercise|Emotional support",
    "|",
)
TAGS = split(
    "Blood tests|Bone health|CAR-T|Chemotherapy|Children|Coping|Costs|Diagnosis|"
    "Driving|Eating well|Exercise|Fatigue|Fertility|Follow-up care|For families|"
    "Genetics|Hair loss|Immunotherapy|Infection|Insurance|Kidneys|Maintenance|"
    "Nausea|Neuropathy|Pain|Palliative care|Radiotherapy|Remission|Scans|Sex|"
    "Sleep|Smoking|Stem cell transplant|Steroids|Surgery|Travel|Treatment decisions|"
    "Vaccines|Work|Young adults",
    "|",
)
# Nobody, and named so: a byline no reader could take for a real clinician's.
AUTHORS = [
    (f"Generated {role} (made up)", f"Made-up profile: {role.lower()}")
    for role in (
        "Haematologist",
        "Nurse",
        "Oncologist",
        "Pharmacist",
        "Psychologist",
        "Palliative care doctor",
    )
]
PUBLISHERS = split(
    "Blood|The Lancet Oncology|Journal of Clinical Oncology|NEJM|BMJ|"
    "Cancer Research UK|National Cancer Institute|Myeloma UK|Leukemia|Haematologica",
    "|",
)

NOUNS = split(
    """
treatment relapse remission myeloma lymphoma leukaemia cancer tumour therapy
chemotherapy radiotherapy immunotherapy transplant biopsy scan marrow blood
platelets antibody protein kidney bone calcium infection fatigue nausea
neuropathy dose infusion tablet steroid clinic nurse doctor consultant
haematologist oncologist specialist appointment diagnosis prognosis symptom
trial study response progression survival family partner friend carer work
sleep appetite weight exercise diet energy pain fever rash cough breath
test result report letter question answer choice option plan goal risk
benefit chance evidence guideline medicine drug injection vaccine pharmacy
hospital ward bed week month year morning evening weekend holiday journey
hope worry fear anger sadness relief support group counsellor helpline
leaflet website booklet diary calendar list note record summary update
paraprotein light chain plasma cell kappa lambda creatinine haemoglobin
neutrophil lymphocyte fracture spine hip rib skull scanner radiologist
pathologist surgeon physiotherapist dietitian pharmacist psychologist
chaplain volunteer researcher statistician patient survivor child parent
grandparent neighbour colleague manager employer school garden kitchen
car train bus walk swim bike meal snack water tea coffee fruit vegetable
"""
)
ADJECTIVES = split(
    """
new common rare early late slow fast mild severe serious gentle strong weak
tired anxious calm hopeful worried honest clear confusing helpful useful
difficult simple complex standard targeted oral intravenous weekly monthly
daily regular routine sudden gradual stable active refractory relapsed
high low normal abnormal small large different similar important careful
practical emotional physical social financial medical clinical local
national personal private open quiet busy long short recent previous next
first second final usual unusual possible likely unlikely safe risky
"""
)
VERBS = split(
    """
explain discuss check measure monitor treat reduce increase change stop
start continue plan choose decide ask answer help support manage cope
notice feel expect understand compare review suggest recommend offer
describe mention record track follow repeat improve worsen affect protect
prevent control balance prepare arrange schedule cancel share learn
"""
)
PEOPLE = split(
    """
patients people families carers partners doctors nurses specialists
researchers survivors parents children friends colleagues teams
"""
)
TIMES = split(
    """
today|this week|after treatment|during treatment|before the next cycle|
at the first appointment|over the following months|in the long term|
every few weeks|at night|in the morning|at home|in hospital|between cycles|
after a relapse|while in remission|at diagnosis|during a trial
""",
    "|",
)
# Multi-word terms readers meet in letters from their doctor.
PHRASES = split(
    """
stem cell transplant|bone marrow biopsy|CAR-T cell therapy|minimal residual disease|
free light chains|blood count|kidney function|clinical trial|side effects|
maintenance therapy|quality of life|watch and wait|second opinion|palliative care|
bispecific antibodies|high-dose chemotherapy|peripheral neuropathy|bone pain
""",
    "|",
)
RARE = split(
    """
plasmacytoma cryoglobulinaemia teclistamab elranatamab belantamab
waldenström hypercalcaemia hyperviscosity leptomeningeal
"""
)
FUNCTION_WORDS = split("the a some many most few this that these their your our")

SENTENCES = [
    "{Det} {adj} {noun} can {verb} the {noun} {time}.",
    "Many {people} {verb} their {noun} with a {adj} {noun}.",
    "Your {noun} may {verb} {det} {noun} and the {noun} {time}.",
    "It is {adj} to {verb} {phrase} with your {noun} {time}.",
    "Some {people} find that {phrase} helps them {verb} {det} {adj} {noun}.",
    "{Det} {noun} of {phrase} is often {adj}, and {people} {verb} it {time}.",
    "Ask your {noun} how {treatment} might {verb} your {noun} and {noun}.",
    "{People} often {verb} the {adj} {noun} before they {verb} {det} {noun}.",
    "If your {noun} is {adj}, the {noun} will {verb} the {noun} {time}.",
    "The {noun} and the {noun} {verb} {det} {adj} {noun} of {phrase}.",
    "{Treatment} for {noun} usually means {phrase} and a {adj} {noun}.",
    "Write down each {noun} so you can {verb} it with your {noun} {time}.",
]


def zipf(words, rng, skew=1.0):
    """The words in a fixed shuffled order, weighted 1, 1/2, 1/3 … (cumulated,
    so that each pick is a bisection rather than a sum over the list)."""
    shuffled = sorted(words, key=lambda _: rng.random())
    weights = [1 / (rank + 1) ** skew for rank in range(len(shuffled))]
    return shuffled, list(itertools.accumulate(weights))


@dataclass
class TextMaker:
    rng: random.Random
    pools: dict = field(default_factory=dict)
    buffers: dict = field(default_factory=dict)

    def __post_init__(self):
        order = random.Random(0)  # The same words are common in every run.
        for name, words in [
            ("noun", NOUNS),
            ("adj", ADJECTIVES),
            ("verb", VERBS),
            ("people", PEOPLE),
            ("time", TIMES),
            ("phrase", PHRASES),
            ("det", FUNCTION_WORDS),
        ]:
            self.pools[name] = zipf(words, order)

    def pick(self, pool):
        # Drawing thousands at a time is several times faster than one by one.
        buffer = self.buffers.setdefault(pool, [])
        if not buffer:
            words, cumulated = self.pools[pool]
            buffer.extend(self.rng.choices(words, cum_weights=cumulated, k=4096))
        return buffer.pop()

    def sentence(self):
        template = self.rng.choice(SENTENCES)
        return template.format_map(Slots(self))

    def paragraph(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self):
        noun, phrase = self.pick("noun"), self.pick("phrase")
        return self.rng.choice(
            [
                f"What {phrase} means for your {noun}",
                f"Living with {noun} after {phrase}",
                f"Questions to ask about {phrase}",
                f"How {phrase} affects {noun} and {self.pick('noun')}",
                f"A {self.pick('adj')} guide to {noun} and {phrase}",
                f"{phrase.capitalize()}: a {self.pick('adj')} {noun}",
            ]
        )

    def body(self, index):
        blocks = []
        for section in range(self.rng.randint(4, 6)):
            if section:
                blocks.append(f"<h2>{self.pick('phrase').capitalize()}</h2>")
            for _ in range(self.rng.randint(2, 3)):
                blocks.append(f"<p>{self.paragraph(self.rng.randint(4, 7))}</p>")
        extra = [f"Some people also ask about {w}." for w in RARE if self.chance(0.002)]
        if index % RARE_EVERY == RARE_EVERY // 2:
            extra.append(f"Your team can tell you whether {RARE_TERM} affects you.")
        if extra:
            blocks.append(f"<p>{' '.join(extra)}</p>")
        return "\n".join(blocks)

    def chance(self, probability):
        return self.rng.random() < probability


class Slots(dict):
    """Fills a template: {noun} picks a noun, {Noun} a capitalised one."""

    def __init__(self, maker):
        super().__init__()
        self.maker = maker

    def __missing__(self, key):
        if key.lower() == "treatment":
            word = "treatment"
        else:
            word = self.maker.pick(key.lower())
        return word.capitalize() if key[0].isupper() else word


def article_fields(maker, index, now):
    """Everything an Article needs, but its relations, for the index-th article."""
    title = maker.title()
    roll = maker.rng.random()
    if roll < 0.02:
        status, published_at = "draft", None
    elif roll < 0.04:
        status, published_at = (
            "published",
            now + timedelta(days=maker.rng.randint(1, 60)),
        )
    else:
        status = "published"
        published_at = now - timedelta(minutes=maker.rng.randint(60, 12 * 365 * 1440))
    summary = maker.sentence() + " " + maker.sentence()
    return {
        "title": title,
        "slug": f"{slugify(title)[:180]}-{index}",
        "summary": summary[:300],
        "body": maker.body(index),
        "status": status,
        "published_at": published_at.replace(microsecond=0) if published_at else None,
    }


def reference_fields(maker):
    year = maker.rng.randint(2005, 2025)
    return {
        "title": f"{maker.pick('adj').capitalize()} {maker.pick('noun')} and "
        f"{maker.pick('phrase')}: a {maker.rng.choice(['cohort', 'randomised', 'review'])} study",
        "publisher": maker.rng.choice(PUBLISHERS),
        "url": f"https://example.org/papers/{maker.rng.randint(10**6, 10**7)}",
        "published_year": year,
    }
