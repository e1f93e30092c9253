"""What product cards show of an HS heading: its first clause, cut at a word when still long."""

from exhibitors.hs import SHORT_DESCRIPTION_MAX, hs_lookup


def test_short_description_is_the_first_clause():
    heading = hs_lookup("2008")

    assert heading.short_description == "Fruit, nuts and other edible parts of plants"
    assert heading.is_shortened


def test_short_description_of_a_long_first_clause_is_cut_at_a_word():
    heading = hs_lookup("8471")  # "Automatic data processing machines and units thereof, magnetic ..."

    short = heading.short_description
    assert short == "Automatic data processing machines and units thereof…"
    assert len(short) <= SHORT_DESCRIPTION_MAX + 1


def test_short_description_of_a_short_text_is_the_text():
    chapter = hs_lookup("09")

    assert chapter.short_description == "Coffee, tea, mate and spices"
    assert not chapter.is_shortened
