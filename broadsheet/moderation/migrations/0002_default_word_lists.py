"""Seed the default word lists; staff edit them afterwards in the admin."""

from django.db import migrations

NOTE = "default list"
# fmt: off
# Rejected outright: slurs with no use in a news discussion, and incitement to self-harm.
BANNED = [
    "nigger", "nigga", "faggot", "kike", "spic", "chink", "wetback", "raghead", "towelhead",
    "tranny", "kill yourself", "kill urself", "kys", "go hang yourself", "gas the jews",
]
# Held for a moderator: insults and crude words that are sometimes quoted or used in jest.
SUSPECT = [
    "idiot", "idiots", "idiotic", "moron", "morons", "moronic", "imbecile", "imbeciles",
    "cretin", "cretins", "jackass", "jackasses", "dumbass", "dumbasses", "asshole", "assholes",
    "bastard", "bastards", "bitch", "bitches", "whore", "whores", "slut", "sluts", "retard",
    "retards", "retarded", "scumbag", "scumbags", "scum", "vermin", "subhuman", "subhumans",
    "fag", "fags", "dickhead", "dickheads", "prick", "pricks", "twat", "twats", "wanker",
    "wankers", "cunt", "cunts", "fuck", "fucks", "fucking", "fucked", "fucker", "motherfucker",
    "shit", "shits", "bullshit", "piss off", "stfu", "shut up", "shut your mouth", "libtard",
    "libtards", "traitor scum", "dumb ass", "stupid bitch", "sexy", "hottie", "boobs", "tits",
    "nudes", "send nudes",
    # Common spam phrases; the trained spam model takes over once moderators have decided enough.
    "click here", "viagra", "cialis", "online casino", "casino bonus", "hot singles",
    "earn money", "make money online", "work from home", "crypto signals", "forex",
    "binary options", "no credit check", "replica watches", "giveaway", "referral link",
    "doctors hate", "essay writing", "buy followers", "instagram followers",
]
# Groups of people: naming one lowers the toxicity threshold (see ToxicityRule).
GROUPS = [
    "muslim", "muslims", "islam", "jew", "jews", "jewish", "christian", "christians", "hindu",
    "hindus", "sikh", "sikhs", "arab", "arabs", "african", "africans", "black people", "blacks",
    "white people", "whites", "asian", "asians", "chinese", "mexican", "mexicans", "immigrant",
    "immigrants", "migrant", "migrants", "refugee", "refugees", "foreigners", "gay", "gays",
    "lesbian", "lesbians", "transgender", "trans people", "women", "feminists", "gypsies",
    "roma", "russian", "russians", "iranian", "iranians", "persian", "persians", "syrian",
    "syrians", "iraqi", "iraqis", "israeli", "israelis", "palestinian", "palestinians",
    "ukrainian", "ukrainians", "american", "americans", "irish", "pakistani", "pakistanis",
    "indian", "indians", "turks", "kurds", "afghans", "latinos", "catholics", "atheists",
    "europeans", "middle east",
]
# fmt: on


def seed(apps, schema_editor):
    WordRule = apps.get_model("moderation", "WordRule")
    for action, words in (("reject", BANNED), ("hold", SUSPECT), ("group", GROUPS)):
        for word in words:
            WordRule.objects.get_or_create(word=word, defaults={"action": action, "note": NOTE})


def unseed(apps, schema_editor):
    WordRule = apps.get_model("moderation", "WordRule")
    WordRule.objects.filter(note=NOTE, word__in=BANNED + SUSPECT + GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
