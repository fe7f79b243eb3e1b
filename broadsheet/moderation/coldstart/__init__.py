"""The cold-start classifier: the referee's judgement before any moderator has decided anything.

Trained deterministically from the project's corpus (`moderation/corpus/`, train part), calibrated
on its dev part, and shipped as `model.npz`: plain arrays (no pickle, so loading it runs no code)
whose SHA-256 `model.json` records. `broadsheet coldstart_build` rebuilds both.

One logistic-regression head per category (HEADS) over hashed word and character n-grams of the
normalized text plus the toxicity BiLSTM's six scores; Platt scaling turns each head's score
into a probability.
"""

HEADS = ("insult", "identity_attack", "sexual", "threat", "spam")
# The corpus categories each head learns to find.
HEAD_CATEGORIES = {
    "insult": ("mild_insult", "insult"),
    "identity_attack": ("identity_attack",),
    "sexual": ("sexual",),
    "threat": ("threat",),
    "spam": ("spam",),
}
