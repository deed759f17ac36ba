from extraction.actors import ActorIndex
from extraction.assistant import propose
from tests.extraction.articles import PUBLISHED, TALKS


def _quotes(text=TALKS, index=None):
    proposals = propose(text, PUBLISHED, index or ActorIndex())
    return {quote.text: quote for quote in proposals.quotes}


def test_quote_text_leaves_the_attributions_comma_out():
    assert "We came to listen" in _quotes()


def test_speaker_after_the_closing_mark_is_found_by_surname():
    """“…,” Korhonen said: the surname points back at the full name given before."""
    assert _quotes()["We came to listen"].speaker.name == "Aino Korhonen"


def test_standalone_quote_keeps_the_previous_speaker():
    assert _quotes()["We did not come to sign anything."].speaker.name == (
        "Aino Korhonen"
    )


def test_quote_split_around_an_attribution_gives_both_halves_the_speaker():
    quotes = _quotes()
    assert quotes["There is still time"].speaker.name == "Aino Korhonen"
    assert quotes["but not much."].speaker.name == "Aino Korhonen"


def test_speaker_is_the_subject_of_the_clause_holding_the_quote():
    assert _quotes()["a step backwards"].speaker.name == "Aino Korhonen"


def test_straight_quotes_and_an_office_as_speaker():
    assert _quotes()["the door remains open."].speaker.name == "Lars Dahl's office"


def test_nested_quotes_stay_inside_one_quotation():
    quotes = _quotes()
    assert "no ‘red lines’ left to draw" in quotes
    assert "red lines" not in quotes
    assert quotes["no ‘red lines’ left to draw"].speaker.name == "Kremlin"


def test_according_to_names_the_speaker():
    text = "“The bridge is closed,” according to Mayor Ilse Brandt of Tartu."
    assert _quotes(text)["The bridge is closed"].speaker.name == "Ilse Brandt"


def test_speech_date_from_the_sentence_or_reported_by_publication():
    quotes = _quotes()
    assert (quotes["a step backwards"].said_on.isoformat(), "day") == (
        "2023-03-13",
        quotes["a step backwards"].date_precision,
    )
    assert quotes["We came to listen"].date_precision == "reported"
    assert quotes["We came to listen"].said_on == PUBLISHED


def test_every_quote_excerpt_is_verbatim_in_the_text():
    from crisis.text import occurs_verbatim

    for quote in _quotes().values():
        assert occurs_verbatim(quote.excerpt, TALKS)
        assert occurs_verbatim(quote.text, quote.excerpt)
