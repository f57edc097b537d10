"""The offensive-language probability separates insults from ordinary sentences."""

import importlib.metadata
import statistics

from ingest.signals.offensive import model_version, offensive_probabilities

OFFENSIVE = [
    "You are a fucking idiot.",
    "Shut the fuck up, nobody cares.",
    "What a stupid piece of shit this is.",
    "Go to hell, you worthless bastard.",
    "You're a dumb bitch and everyone knows it.",
    "This asshole keeps spamming the thread.",
    "Eat shit and die.",
    "Your mother is a whore.",
    "Fuck off and never come back.",
    "He's a total dickhead.",
    "What a moronic, brain-dead take, you retard.",
    "Stupid cunt.",
    "You pathetic loser, kill yourself.",
    "That was a shitty answer, dumbass.",
    "Fuck this bullshit app.",
    "You ugly fat pig.",
    "Suck my dick.",
    "I hope you choke, you piece of crap.",
    "Bloody wanker can't even spell.",
    "Screw you and your crappy opinions, idiot.",
    "You are the dumbest motherfucker alive.",
    "Nobody likes you, you smelly freak.",
    "Damn, you're such a jackass.",
    "Get lost, you brainless twat.",
    "What the fuck is wrong with you?",
    "Stop whining, you little bitch.",
    "This is the most retarded idea ever.",
    "You suck at everything, moron.",
    "Your code is shit and so are you.",
    "Piss off, douchebag.",
]

BENIGN = [
    "Could you summarise this article in three bullet points?",
    "The weather in Lisbon is lovely this time of year.",
    "Please translate 'good morning' into Portuguese.",
    "How do I reset my router to factory settings?",
    "Thanks for your help with the spreadsheet yesterday.",
    "The committee will meet again on Thursday afternoon.",
    "What is the capital of Australia?",
    "I baked banana bread with walnuts this morning.",
    "Our quarterly revenue grew by four percent.",
    "Can you recommend a good book about Roman history?",
    "The train to Manchester leaves from platform six.",
    "My daughter starts school next week.",
    "Write a haiku about autumn leaves.",
    "The museum is closed on Mondays.",
    "Explain how photosynthesis works in simple terms.",
    "I need a polite email declining the invitation.",
    "The recipe calls for two cups of flour.",
    "Which running shoes are best for flat feet?",
    "Let's schedule the review for next Tuesday.",
    "The library has a new collection of poetry.",
    "How many planets are in the solar system?",
    "Please proofread my cover letter.",
    "The garden needs watering twice a week in summer.",
    "What time does the pharmacy open on Sundays?",
    "Our cat sleeps on the windowsill all afternoon.",
    "Describe the water cycle for a school project.",
    "I enjoyed the concert last night very much.",
    "The project deadline moved to the end of May.",
    "Can you suggest a vegetarian dinner for four?",
    "The bridge was built in the nineteenth century.",
]


def roc_auc(positive_scores, negative_scores):
    """Probability that a random positive outscores a random negative (ties count half)."""
    wins = 0.0
    for positive in positive_scores:
        for negative in negative_scores:
            wins += 1.0 if positive > negative else 0.5 if positive == negative else 0.0
    return wins / (len(positive_scores) * len(negative_scores))


def test_offensive_and_benign_sentences_are_separated():
    scores = offensive_probabilities(OFFENSIVE + BENIGN)
    offensive, benign = scores[: len(OFFENSIVE)], scores[len(OFFENSIVE) :]
    assert roc_auc(offensive, benign) >= 0.9
    assert statistics.mean(offensive) - statistics.mean(benign) >= 0.5
    assert statistics.mean(benign) < 0.2


def test_probabilities_are_floats_in_order_and_range():
    scores = offensive_probabilities(["Fuck you, idiot.", "Have a nice day.", "Fuck you, idiot."])
    assert all(isinstance(score, float) and 0.0 <= score <= 1.0 for score in scores)
    assert scores[0] == scores[2]
    assert scores[0] > scores[1]


def test_empty_batch_scores_nothing():
    assert offensive_probabilities([]) == []


def test_model_version_names_the_installed_package():
    assert model_version() == (
        f"alt-profanity-check@{importlib.metadata.version('alt-profanity-check')}"
    )


def test_direct_arithmetic_matches_the_library_exactly():
    from profanity_check import predict_prob
    from profanity_check import profanity_check as fitted

    from ingest.signals.offensive import _direct_predictor

    direct = _direct_predictor(fitted)
    assert direct is not None, "the model layout changed: the fast path no longer applies"
    texts = [
        "you are a complete idiot",
        "have a lovely day",
        "",
        "shut up you moron!!",
        "The quarterly report is attached.",
        "what the hell is wrong with you",
    ] * 5
    assert abs(direct(texts) - predict_prob(texts)).max() < 1e-9
