"""The campaign explanation says why a community is not organic, from its tests."""

from jobs.campaigns import _explain

FEATURES = {
    "sync_excess": 0.02,
    "pair_sync": 0.02,
    "expected_pair_sync": 0.01,
    "density": 0.8,
    "evidence": 96.8,
    "sources": 1499.0,
    "repetition": 110.0,
    "focus": 0.36,
    "exclusivity": 0.99,
}
COMMUNITY = {
    "features": FEATURES,
    "summary": {"n_accounts": 62, "n_groups": 3000, "n_prompt_groups": 0},
    "first_time": 1_475_280_000.0,
    "last_time": 1_480_464_000.0,
}


def test_an_operation_at_scale_is_explained_by_how_much_each_member_shares():
    text = _explain(COMMUNITY, 3, 9000, ["news"], 0, 0.02, 3600.0)
    assert "from 110 independent texts or bursts" in text
    # The dates are those of the community's own material (the detector's span).
    assert "their own material came between 2016-10-01 00:00 and 2016-11-30 00:00 UTC" in text
    # Not posted in step: the explanation does not claim synchrony.
    assert "came within" not in text


def test_a_small_campaign_is_not_called_an_operation_at_scale():
    small = {**COMMUNITY, "features": {**FEATURES, "repetition": 6.0, "sync_excess": 0.9}}
    text = _explain(small, 1, 120, [], 0, 0.0, 3600.0)
    assert "independent texts or bursts, where" not in text
    assert "came within 60 minutes of each other" in text


def test_counts_agree_with_their_nouns():
    # The demo's disinformation campaign: one text and one prompt, posted in 12 bursts.
    one = {
        **COMMUNITY,
        "summary": {"n_accounts": 14, "n_groups": 1, "n_prompt_groups": 1},
        "features": {**FEATURES, "sources": 12.0},
    }
    text = _explain(one, 2, 159, [], 0, 0.0, 3600.0)
    assert "They shared 1 near-duplicate text and 1 prompt that hardly anyone" in text
    assert "resting on 12 independent texts or bursts." in text
    assert "rests on many independent texts or bursts (12)" in text
    text = _explain(COMMUNITY, 3, 9000, [], 0, 0.0, 3600.0)
    assert "They shared 3000 near-duplicate texts that hardly anyone" in text


def test_narratives_are_named_with_the_texts_and_prompts():
    told = {
        **COMMUNITY,
        "summary": {"n_accounts": 15, "n_groups": 9, "n_prompt_groups": 4, "n_narratives": 1},
    }
    text = _explain(told, 3, 61, [], 0, 0.0, 3600.0)
    assert (
        "They shared 9 near-duplicate texts, 4 prompts and 1 narrative (one claim in other "
        "words, pushed by several of them) that hardly anyone else used" in text
    )
    text = _explain(
        {**told, "summary": {**told["summary"], "n_prompt_groups": 0}}, 3, 61, [], 0, 0.0, 3600.0
    )
    assert "9 near-duplicate texts and 1 narrative (one claim" in text


def test_followers_are_counted_apart_from_the_evidence():
    followed = {**COMMUNITY, "summary": {**COMMUNITY["summary"], "n_followers": 7}}
    text = _explain(followed, 3, 9000, [], 0, 0.0, 3600.0)
    assert "Of the 62, 7 accounts posted this material within a window of the others" in text
    assert "posted this material" not in _explain(COMMUNITY, 3, 9000, [], 0, 0.0, 3600.0)
