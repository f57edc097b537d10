"""Class-based TF-IDF keywords on a small labelled text set."""

from analytics.keywords import ClassTfidfKeywords

TEXTS = [
    "Send bitcoin to this wallet to double your crypto",
    "Crypto giveaway: send bitcoin, get double back",
    "Limited crypto airdrop, connect your wallet now",
    "The election was rigged and the ballots were fake",
    "Fake ballots decided the election, the vote was stolen",
    "Stolen election: count every legal vote again",
    "Vaccines cause autism, the doctors hide it",
    "Doctors hide that vaccines are dangerous",
    "Nice weather today",  # noise
]
LABELS = [0, 0, 0, 1, 1, 1, 2, 2, -1]


def test_keywords_describe_each_class():
    model = ClassTfidfKeywords(top_n=3).fit(TEXTS, LABELS)
    assert set(model.keywords_) == {0, 1, 2}
    assert {"crypto", "bitcoin"} <= set(model.keywords_[0])
    assert "election" in model.keywords_[1]
    assert {"vaccines", "doctors"} & set(model.keywords_[2])
    assert all(len(words) <= 3 for words in model.keywords_.values())


def test_noise_is_skipped_and_stop_words_removed():
    model = ClassTfidfKeywords(top_n=10).fit(TEXTS, LABELS)
    assert -1 not in model.keywords_
    assert "weather" not in model.vocabulary_
    assert not {"the", "to", "and"} & {w for ws in model.keywords_.values() for w in ws}


def test_scores_are_sorted_and_terms_shared_by_all_classes_rank_lower():
    texts = ["alpha common", "alpha common", "beta common", "beta common"]
    model = ClassTfidfKeywords(top_n=2, stop_words=None).fit(texts, [0, 0, 1, 1])
    assert model.keywords_[0] == ["alpha", "common"]
    assert model.keywords_[1] == ["beta", "common"]
    for scores in model.scores_.values():
        assert scores == sorted(scores, reverse=True)


def test_only_noise_gives_no_keywords():
    model = ClassTfidfKeywords().fit(["a b", "c d"], [-1, -1])
    assert model.keywords_ == {}


def test_filler_words_placeholders_and_words_of_most_classes_are_not_keywords():
    chatter = "Honestly this week the {} was just great, thanks everyone, really"
    texts = [chatter.format(t) for t in ("library", "market", "museum", "garden")] + [
        "Pay the [CARD] release fee: your parcel is held at the depot",
    ]
    model = ClassTfidfKeywords(top_n=8).fit(texts, [0, 1, 2, 3, 4])
    words = {w for ws in model.keywords_.values() for w in ws}
    # "honestly" stands in four of five topics: a template's word, not a topic.
    assert not words & {"honestly", "week", "just", "thanks", "everyone", "really", "great"}
    assert "card" not in model.keywords_[4]
    assert {"parcel", "depot", "fee"} <= set(model.keywords_[4])
    assert model.keywords_[0] == ["library"]


def test_contrast_keywords_name_a_campaign_by_its_own_texts():
    from analytics.keywords import contrast_keywords

    background = ["Your savings account card is safe with us", "Lovely weather in the park"] * 5
    [parcel] = contrast_keywords([["Your parcel is held at the depot, pay the fee"]], background)
    assert {"parcel", "depot", "fee"} <= set(parcel)
    assert not {"savings", "card", "account"} & set(parcel)
