"""Broadsheet settings, read from the environment in this one module (see README)."""

from pathlib import Path
from typing import Any

import dj_database_url

from broadsheet.config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_scores,
    env_str,
    secret_key_from,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", "./data")).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key_from(DATA_DIR)
PORT = env_int("PORT", 8000)
SITE_NAME = env_str("SITE_NAME", "Broadsheet")
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
HTTPS = env_bool("HTTPS", SITE_URL.startswith("https://"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# A comment posted from a shared page without script comes back to be pressed again.
CSRF_FAILURE_VIEW = "broadsheet.config.csrf.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "broadsheet.core",
    "broadsheet.accounts",
    "broadsheet.moderation",
    "broadsheet.discussion",
    "broadsheet.newsroom",
    "broadsheet.feeds",
    "broadsheet.search",
    "broadsheet.ingest",
]

MIDDLEWARE = [
    # Outermost: every answer, errors included, carries its request id and is timed (core app).
    "broadsheet.core.logs.RequestIdMiddleware",
    "broadsheet.core.metrics.RequestMetricsMiddleware",
    # With a read replica: which database this request reads from, chosen before any read.
    "broadsheet.core.db_router.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # WordPress's /?s=words search links answer with a redirect to /search/ (search app).
    "broadsheet.search.middleware.WordPressSearchRedirectMiddleware",
    # Shared (anonymous) pages lose the Vary: Cookie the session middleware adds (core app).
    "broadsheet.core.page_cache.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Imported WordPress posts' old addresses: a 301 when nothing else answered (ingest app).
    "broadsheet.ingest.middleware.LegacyURLRedirectMiddleware",
]

ROOT_URLCONF = "broadsheet.config.urls"
WSGI_APPLICATION = "broadsheet.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# Readers and staff sign in through the accounts app; both land on the front page afterwards.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.core.context_processors.site",
                # The section navigation in the site's header (base.html shows it when present).
                "broadsheet.newsroom.context_processors.site_sections",
            ],
        },
    },
]

# Database: SQLite in DATA_DIR by default; DATABASE_URL (postgres://...) for production.
DATABASE_URL = env_str("DATABASE_URL", "")
# Django's own type for this setting; the two branches build differently shaped dicts.
DATABASES: dict[str, Any]
# DATABASE_POOL_MAX > 0 keeps a psycopg pool of that many connections per process (instead of
# one persistent connection per thread); DATABASE_REPLICA_URL adds a read replica that
# anonymous readers' GETs use (core/db_router.py keeps every reader's own writes visible).
DATABASE_POOL_MAX = env_int("DATABASE_POOL_MAX", 0)
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")


def _postgres(url: str) -> dict[str, Any]:
    database = dj_database_url.parse(url, conn_max_age=0 if DATABASE_POOL_MAX else 60)
    if DATABASE_POOL_MAX:
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_MAX,
            "timeout": 10,
        }
    return dict(database)


if DATABASE_URL:
    DATABASES = {"default": _postgres(DATABASE_URL)}
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = {**_postgres(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
        DATABASE_ROUTERS = ["broadsheet.core.db_router.ReplicaRouter"]
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend, with writers queued on a file lock (core/sqlite).
            "ENGINE": "broadsheet.core.sqlite",
            "NAME": DATA_DIR / "broadsheet.sqlite3",
            # Each server thread keeps its connection: opening one (and its PRAGMAs) on every
            # request was a quarter of a cached page's CPU (py-spy on gunicorn).
            "CONN_MAX_AGE": env_int("SQLITE_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE avoids upgrade deadlocks.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis shares caches and rate limits across app servers.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "broadsheet"),
        }
    }
else:
    # CACHE_BACKEND=dummy keeps nothing (benchmarks measure pages rendered from scratch).
    _LOCAL = (
        "django.core.cache.backends.dummy.DummyCache"
        if env_str("CACHE_BACKEND", "locmem") == "dummy"
        else "django.core.cache.backends.locmem.LocMemCache"
    )
    CACHES = {"default": {"BACKEND": _LOCAL}}

# Rate limits (core/ratelimit.py) for comments, reader reports and accounts. Counters live in
# RATE_LIMIT_STORE: "cache" (atomic incr, for Redis), "database" (an atomic upsert, shared by every
# worker without Redis) or "auto": database when RATE_LIMIT_CACHE is per process. The MODERATION_
# names are still read, so environments written before the limiter moved to core keep working.
RATE_LIMIT_CACHE = env_str("RATE_LIMIT_CACHE", env_str("MODERATION_CACHE", "default"))
RATE_LIMIT_STORE = env_str("RATE_LIMIT_STORE", env_str("MODERATION_RATE_STORE", "auto"))

# Background work: database queue by default, RQ on Redis when configured, immediate in tests.
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
_TASK_BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend"},
}
# An unknown name is reported by core's system check (broadsheet check, migrate); TASKS stays
# loadable meanwhile so that the check can run and say so.
TASKS = {"default": _TASK_BACKENDS.get(TASKS_BACKEND, _TASK_BACKENDS["database"])}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed files are cached forever by whitenoise itself; unhashed names (the embeddable widget.js
# that other sites link to) get a short lifetime so fixes reach them quickly.
WHITENOISE_MAX_AGE = 300

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Broadsheet <noreply@localhost>")

# Security headers; HTTPS-only flags switch on when the site is served over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Only trust X-Forwarded-Proto / -For when a proxy count is configured.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# LOG_FORMAT: "text" (default) or "json" (one object per line); every line of a request carries
# its X-Request-ID (core/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "broadsheet.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "broadsheet.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# /metrics answers a bearer token (METRICS_TOKEN) or these client networks (default: this
# machine only); /healthz and /readyz answer anyone and say nothing private.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOW = env_list("METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])

# After-commit effects send their payload through JSON first, as a task queue would (the tests
# turn it on, so an effect handed a model instance fails where it is scheduled).
EFFECTS_JSON_ROUNDTRIP = False

# Accounts: attempts per hashed client IP, as "count/seconds" fixed windows (failed sign-ins,
# accounts created, reset emails asked for).
ACCOUNT_RATE_LOGIN = env_str("ACCOUNT_RATE_LOGIN", "10/600")
ACCOUNT_RATE_REGISTER = env_str("ACCOUNT_RATE_REGISTER", "5/3600")
ACCOUNT_RATE_RESET = env_str("ACCOUNT_RATE_RESET", "5/3600")

# Publishing.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)
# Feeds carry each article's full text (false: the dek only, as a summary).
FEED_FULL_CONTENT = env_bool("FEED_FULL_CONTENT", True)
# Topics the language model suggests per article (names on the editors' list come on top).
TOPICS_SUGGEST_MAX = env_int("TOPICS_SUGGEST_MAX", 20)

# The wire desk (ingest/wire): seconds to wait for a feed, the largest answer read, and how alike
# two agencies' headline and lead must read (TF-IDF cosine, 0..1) to be grouped as one story
# (the threshold measured in bench/wire_grouping.py).
WIRE_FETCH_TIMEOUT = env_float("WIRE_FETCH_TIMEOUT", 10.0)
WIRE_MAX_BYTES = env_int("WIRE_MAX_BYTES", 5 * 1024 * 1024)
WIRE_GROUP_THRESHOLD = env_float("WIRE_GROUP_THRESHOLD", 0.27)
WIRE_GROUP_HOURS = env_int("WIRE_GROUP_HOURS", 48)

# Discussion.
# Reports one network may send, "count/seconds": enough for a household, too few to hide a thread.
COMMENT_REPORT_RATE = env_str("COMMENT_REPORT_RATE", "30/3600")
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# Whole pages for readers without a session (core/page_cache.py): kept in the cache this many
# seconds (0 turns the page cache off), keyed by the versions of what they show. Browsers
# revalidate every time (max-age), shared caches in front keep them s-maxage seconds and may
# serve them that much longer while they fetch a fresh copy.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 0)
PAGE_CACHE_S_MAXAGE = env_int("PAGE_CACHE_S_MAXAGE", 10)
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 30)
COMMENT_MAX_DEPTH = env_int("COMMENT_MAX_DEPTH", 5)
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 5000)
COMMENT_EDIT_MINUTES = env_int("COMMENT_EDIT_MINUTES", 15)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENT_EMBED_ORIGINS = env_list("COMMENT_EMBED_ORIGINS", [])
GRAVATAR = env_bool("GRAVATAR", False)
# Readers' reports that hold a published comment for a moderator (discussion's staff queue).
COMMENT_REPORTS_TO_HOLD = env_int("COMMENT_REPORTS_TO_HOLD", 3)

# --- Moderation (owned by the moderation app; see broadsheet/moderation and the README) ---
# The ordered rules judge() runs; every rule runs and the strictest decision wins.
MODERATION_RULES = env_list(
    "MODERATION_RULES",
    [
        "broadsheet.moderation.rules.BanRule",
        "broadsheet.moderation.rules.HoneypotRule",
        "broadsheet.moderation.rules.FormAgeRule",
        "broadsheet.moderation.rules.RateLimitRule",
        "broadsheet.moderation.rules.DuplicateRule",
        "broadsheet.moderation.rules.LinkCountRule",
        "broadsheet.moderation.word_lists.WordListRule",
        "broadsheet.moderation.rules.FirstCommentRule",
        "broadsheet.moderation.phrases.PhraseRule",
        "broadsheet.moderation.groups.DehumanizingRule",
        "broadsheet.moderation.groups.GeneralisationRule",
        "broadsheet.moderation.rules.ToxicityRule",
        "broadsheet.moderation.spam_rules.LinkShapeRule",
        "broadsheet.moderation.spam_rules.PromotionRule",
        "broadsheet.moderation.coldstart.rule.ColdStartRule",
        "broadsheet.moderation.rules.SpamModelRule",
    ],
)
# "post" publishes unless a rule holds; "pre" holds everything not rejected (per context: admin).
MODERATION_MODE = env_str("MODERATION_MODE", "post")
# Trusted commenters (this many approved, none rejected) skip holds other than bans; 0 turns it off.
MODERATION_TRUSTED_AFTER = env_int("MODERATION_TRUSTED_AFTER", 5)
MODERATION_TRUSTED_SKIP_PREMODERATION = env_bool("MODERATION_TRUSTED_SKIP_PREMODERATION", True)
MODERATION_HOLD_FIRST_COMMENT = env_bool("MODERATION_HOLD_FIRST_COMMENT", False)
# Rate limits as "count/seconds" fixed windows, comma-separated (several windows may apply).
MODERATION_RATE_PER_IP = env_list("MODERATION_RATE_PER_IP", ["6/60", "40/3600"])
MODERATION_RATE_PER_IDENTITY = env_list("MODERATION_RATE_PER_IDENTITY", ["4/60", "30/3600"])
MODERATION_DUPLICATE_SECONDS = env_int("MODERATION_DUPLICATE_SECONDS", 86400)
MODERATION_MAX_LINKS = env_int("MODERATION_MAX_LINKS", 2)
MODERATION_MIN_FORM_SECONDS = env_int("MODERATION_MIN_FORM_SECONDS", 3)
# Toxicity thresholds per label, "label=score" comma-separated: hold above / reject above.
MODERATION_TOXICITY_HOLD = env_scores(
    "MODERATION_TOXICITY_HOLD",
    {
        "toxic": 0.5,
        "severe_toxic": 0.3,
        "obscene": 0.5,
        "threat": 0.3,
        "insult": 0.4,
        "identity_hate": 0.3,
    },
)
MODERATION_TOXICITY_REJECT = env_scores(
    "MODERATION_TOXICITY_REJECT", {"severe_toxic": 0.85, "threat": 0.9}
)
# The cold-start model's hold and reject thresholds per category (calibrated probabilities,
# chosen out of fold on the corpus's train and dev parts by bench/moderation_thresholds.py).
# Context policies may override the hold thresholds per section or thread.
MODERATION_CATEGORY_HOLD = env_scores(
    "MODERATION_CATEGORY_HOLD",
    {"insult": 0.47, "identity_attack": 0.59, "sexual": 0.58, "threat": 0.5, "spam": 0.49},
)
MODERATION_CATEGORY_REJECT = env_scores("MODERATION_CATEGORY_REJECT", {})
# A suspect word or a toxicity hold stands only when the cold-start model gives some category
# at least this probability (so swearing at a situation or a quoted slur is not held).
MODERATION_CORROBORATE = env_float("MODERATION_CORROBORATE", 0.4)
# Hold threshold for toxic/insult/identity_hate when the text names a group of people.
MODERATION_TOXICITY_GROUP_HOLD = env_float("MODERATION_TOXICITY_GROUP_HOLD", 0.3)
# The toxicity model's folder (model.weights.h5, tokenizer.pickle); empty: the installed
# toxic-comment-classifier package's own.
MODERATION_TOXICITY_MODEL_DIR = env_str("MODERATION_TOXICITY_MODEL_DIR", "")
# The spam model is used once it has this many decisions, with both spam and non-spam among them.
MODERATION_SPAM_MIN_EXAMPLES = env_int("MODERATION_SPAM_MIN_EXAMPLES", 50)
# Retrain once this many new decisions arrived (see selectors.spam_model_due).
MODERATION_SPAM_RETRAIN_EVERY = env_int("MODERATION_SPAM_RETRAIN_EVERY", 20)
MODERATION_SPAM_HOLD = env_float("MODERATION_SPAM_HOLD", 0.7)
MODERATION_SPAM_REJECT = env_float("MODERATION_SPAM_REJECT", 0.97)
# --- end Moderation ---
