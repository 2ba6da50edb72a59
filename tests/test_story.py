"""What a chapter's prose says of a claim (`aibet.present.story`): its facts in a sentence, or,
when the date judged does not give them, why the claim cannot be reproduced then."""

from types import SimpleNamespace

from aibet.claims import engine
from aibet.present import story


def told(latest: dict | None, at_publication: dict | None, claim: str = "DEBT-2") -> story.Story:
    """A claim told with hand-made facts (None: the date judged does not give them)."""
    told = story.Story.__new__(story.Story)
    told.claim = engine.REGISTRY[claim]

    def judged(facts, as_of):
        reason = "CoreWeave's cash-flow statement for 2022 is left out: no citable copy"
        return SimpleNamespace(
            facts=facts or {}, reason=reason, as_of=as_of, verdict="unsupported", value=None
        )

    told.latest = judged(latest, "2026-08-12")
    told.at_publication = judged(at_publication, "2025-09-26")
    return told


TEMPLATE = "Net borrowing paid for {share} of its {of} (to {through}); at publication {share_pub}."


def test_a_sentence_fills_in_the_facts_of_both_dates():
    facts = {"share": 0.61, "of": "capital spending", "through": "2025"}
    said = told(facts, {**facts, "share": 0.55}).sentence(TEMPLATE)
    assert (
        said == "Net borrowing paid for 61% of its capital spending (to 2025); at publication 55%."
    )


def test_a_sentence_whose_facts_are_not_known_says_why_instead_of_blanks():
    said = told(None, None).sentence(TEMPLATE)
    assert said == (
        "DEBT-2 cannot be reproduced with the data of 12 August 2026: CoreWeave's cash-flow"
        " statement for 2022 is left out: no citable copy."
    )
    assert story.UNKNOWN not in said
    facts = {"share": 0.61, "of": "capital spending", "through": "2025"}
    assert "with what was public at publication" in told(facts, None).sentence(TEMPLATE)
    assert told(None, None).sentence(TEMPLATE, otherwise="") == ""


def test_a_range_whose_ends_read_the_same_is_one_figure():
    """HIST-1's prose once read "U.S. telecom carriers spent 1.2% to 1.2%"."""
    texts = told(
        {"telecom_low": 1.21, "telecom_high": 1.24, "ai_low": 1.2, "ai_high": 2.0}, None, "HIST-1"
    ).texts()
    assert texts["telecom_range"] == texts["telecom_low"] == "1.2%"
    assert texts["ai_range"] == "1.2% to 2.0%"
    assert texts["telecom_range_pub"] == story.UNKNOWN
