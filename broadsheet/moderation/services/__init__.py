"""Every write the moderation app makes: audit entries, bans, word rules, policies, training."""

from broadsheet.moderation.services.audit import audit_log, verdict_record
from broadsheet.moderation.services.bans import ban_create, ban_delete, ban_lift, ban_update
from broadsheet.moderation.services.policies import (
    context_policy_delete,
    context_policy_set,
    context_policy_update,
)
from broadsheet.moderation.services.rates import verdict_rates_count
from broadsheet.moderation.services.training import (
    MAX_TRAINING_EXAMPLES,
    spam_model_train,
    training_example_create,
    training_example_delete,
    training_example_record,
    training_example_update,
)
from broadsheet.moderation.services.word_rules import (
    word_rule_check,
    word_rule_delete,
    word_rule_set,
    word_rule_update,
)

__all__ = [
    "MAX_TRAINING_EXAMPLES",
    "audit_log",
    "ban_create",
    "ban_delete",
    "ban_lift",
    "ban_update",
    "context_policy_delete",
    "context_policy_set",
    "context_policy_update",
    "spam_model_train",
    "training_example_create",
    "training_example_delete",
    "training_example_record",
    "training_example_update",
    "verdict_rates_count",
    "verdict_record",
    "word_rule_check",
    "word_rule_delete",
    "word_rule_set",
    "word_rule_update",
]
