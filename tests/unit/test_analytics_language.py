"""Which texts the English embedding model cannot read, and the words they share."""

import numpy as np

from analytics.language import content_words, foreign_texts, word_overlap


def test_texts_mostly_in_another_language_or_script_are_foreign():
    texts = [
        "The polling stations in Riverton close at noon, so vote early.",
        "Los colegios electorales de Riverton cierran a mediodía, así que vota pronto.",
        "Die Wahllokale in Riverton schließen schon um zwölf Uhr, das ist nicht spät.",
        "Les bureaux de vote de Riverton ferment à midi, votez tôt.",
        "Избирательные участки закрываются в полдень.",
        "#Riverton2026 !!!",  # nothing to tell by: the vectors are all there is
        "I ordered tacos con queso and a horchata at the place on Main Street.",
        "",
    ]
    assert foreign_texts(texts).tolist() == [False, True, True, True, True, False, False, False]


def test_word_overlap_is_the_share_of_the_shorter_texts_content_words():
    words = content_words(
        [
            "Eléctrica Solmar cortará la luz en Puerto Lirio el lunes.",
            "El lunes, sin luz en todo Puerto Lirio por culpa de Solmar.",
            "Puerto Lirio.",
            "Hola, ¿qué tal?",
        ]
    )
    # Function words of any language, and words under three letters, do not count.
    assert words[0] == {"eléctrica", "solmar", "cortará", "luz", "puerto", "lirio", "lunes"}
    got = word_overlap(words, np.array([0, 0, 0]), np.array([1, 2, 3]))
    # 5 of the second text's 7 words; the third has two words, both shared (1.0); the
    # last shares none.
    assert got.tolist() == [5 / 7, 1.0, 0.0]
    # One shared word is no evidence, whatever the share.
    one = content_words(["Solmar.", "Solmar sube precios."])
    assert word_overlap(one, np.array([0]), np.array([1])).tolist() == [0.0]
    # Pairs across two lists of texts.
    assert word_overlap(words[:1], np.array([0]), np.array([0]), words[1:2]).tolist() == [5 / 7]
