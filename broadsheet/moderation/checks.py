"""System checks for the referee's settings, so a typo fails `broadsheet check`, not a comment."""

from __future__ import annotations

import numbers

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from broadsheet.moderation import conf
from broadsheet.moderation.judge import MODES

WHOLE_NUMBERS = (
    "MODERATION_TRUSTED_AFTER",
    "MODERATION_DUPLICATE_SECONDS",
    "MODERATION_MAX_LINKS",
    "MODERATION_MIN_FORM_SECONDS",
    "MODERATION_SPAM_MIN_EXAMPLES",
    "MODERATION_SPAM_RETRAIN_EVERY",
)
SCORES = ("MODERATION_TOXICITY_GROUP_HOLD", "MODERATION_SPAM_HOLD", "MODERATION_SPAM_REJECT")
THRESHOLDS = ("MODERATION_TOXICITY_HOLD", "MODERATION_TOXICITY_REJECT")
RATE_WINDOWS = ("MODERATION_RATE_PER_IP", "MODERATION_RATE_PER_IDENTITY")


def _is_number(value: object) -> bool:
    # bool is an int to Python, but "true" is not a threshold.
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@register()
def check_mode(app_configs=None, **kwargs) -> list[CheckMessage]:
    """MODERATION_MODE is post or pre."""
    mode = conf.get("MODERATION_MODE")
    if mode in MODES:
        return []
    return [
        Error(
            f"MODERATION_MODE must be post or pre, not {mode!r}.",
            hint="post publishes unless a rule holds; pre holds every comment not rejected.",
            id="moderation.E001",
        )
    ]


def configured_rule_classes() -> tuple[list[type], list[CheckMessage]]:
    """Import every MODERATION_RULES path; return the classes and an Error per bad path."""
    classes: list[type] = []
    errors: list[CheckMessage] = []
    for path in conf.get("MODERATION_RULES"):
        try:
            rule = import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"MODERATION_RULES: cannot import {path!r} ({exc}).",
                    hint="Each item is a dotted path such as broadsheet.moderation.rules.BanRule.",
                    id="moderation.E002",
                )
            )
            continue
        if not (isinstance(rule, type) and callable(getattr(rule, "check", None))):
            errors.append(
                Error(
                    f"MODERATION_RULES: {path!r} is not a rule class with a check() method.",
                    id="moderation.E002",
                )
            )
            continue
        classes.append(rule)
    return classes, errors


def _model_loaders():
    """(rule name, loader, the error it raises, hint, check id) of each rule's model."""
    from broadsheet.moderation import toxicity
    from broadsheet.moderation.coldstart import model as coldstart_model

    return (
        (
            "toxicity",
            toxicity.model,
            toxicity.ToxicityUnavailable,
            "pip install --no-deps toxic-comment-classifier==0.3.0 (see requirements/), point "
            "MODERATION_TOXICITY_MODEL_DIR at the model's folder, or remove ToxicityRule from "
            "MODERATION_RULES.",
            "moderation.E006",
        ),
        (
            "cold-start",
            coldstart_model.model,
            coldstart_model.ColdStartUnavailable,
            "Run broadsheet coldstart_build, or remove ColdStartRule from MODERATION_RULES.",
            "moderation.E007",
        ),
    )


@register()
def check_rules(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Every rule imports; when the toxicity or cold-start rule is configured, its model loads."""
    classes, errors = configured_rule_classes()
    names = {getattr(rule, "name", "") for rule in classes}
    for label, load, unavailable, hint, check_id in _model_loaders():
        if label.replace("-", "") not in names:
            continue
        try:
            load()
        except unavailable as exc:
            errors.append(
                Error(
                    f"The {label} rule is configured but its model cannot be loaded: {exc}.",
                    hint=hint,
                    id=check_id,
                )
            )
    return errors


@register()
def check_numbers(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Counts are whole numbers, scores numbers from 0 to 1, windows and thresholds parse."""
    errors: list[CheckMessage] = []
    for name in WHOLE_NUMBERS:
        value = conf.get(name)
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            errors.append(
                Error(
                    f"{name} must be a whole number of 0 or more, not {value!r}.",
                    id="moderation.E003",
                )
            )
    for name in SCORES:
        value = conf.get(name)
        if not (_is_number(value) and 0 <= value <= 1):
            errors.append(
                Error(f"{name} must be a number from 0 to 1, not {value!r}.", id="moderation.E003")
            )
    for name in THRESHOLDS:
        errors.extend(_threshold_errors(name))
    for name in RATE_WINDOWS:
        try:
            conf.rate_windows(name)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="moderation.E005"))
    return errors


def _threshold_errors(name: str) -> list[CheckMessage]:
    raw = conf.get(name)
    if isinstance(raw, dict):
        values = dict(raw)
        strings = [label for label, value in values.items() if not _is_number(value)]
        if strings:
            return [
                Error(
                    f"{name}: the scores for {', '.join(map(str, strings))} must be numbers, "
                    f"not {[values[label] for label in strings]!r}.",
                    id="moderation.E004",
                )
            ]
    else:
        try:
            values = conf.thresholds(name)
        except (ImproperlyConfigured, TypeError) as exc:
            return [Error(f"{name}: {exc}", id="moderation.E004")]
    errors: list[CheckMessage] = []
    from broadsheet.moderation.toxicity import LABELS

    unknown = sorted(set(values) - set(LABELS))
    if unknown:
        errors.append(
            Error(
                f"{name}: unknown toxicity labels {', '.join(unknown)}.",
                hint=f"The labels are {', '.join(LABELS)}.",
                id="moderation.E004",
            )
        )
    outside = [label for label, value in values.items() if not 0 <= float(value) <= 1]
    if outside:
        errors.append(
            Error(
                f"{name}: scores must be from 0 to 1 ({', '.join(outside)}).",
                id="moderation.E004",
            )
        )
    return errors
