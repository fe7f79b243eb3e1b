"""The BiLSTM's plain copy under DATA_DIR scores exactly as the package's own files do."""

from __future__ import annotations

from broadsheet.moderation import toxicity, toxicity_cache

TEXTS = ["You are a complete idiot.", "The harbour board met on Tuesday.", ""]


def test_the_first_load_writes_a_copy_and_the_next_scores_the_same_from_it(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    folder = toxicity.model_dir()
    copy = toxicity_cache.path_for(folder)
    assert not copy.exists()
    from_package = toxicity.ToxicityModel(folder)
    assert copy.exists() and copy.parent == tmp_path / "cache"
    arrays, tokenizer = toxicity_cache.read(copy)
    assert tokenizer["word_index"] == from_package.tokenizer.word_index
    from_copy = toxicity.ToxicityModel(folder)
    assert from_copy.scores(TEXTS) == from_package.scores(TEXTS)
    assert from_copy.scores(TEXTS)[0]["insult"] > 0.5


def test_an_unreadable_copy_is_ignored_and_written_again(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    folder = toxicity.model_dir()
    copy = toxicity_cache.path_for(folder)
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"not an npz file")
    assert toxicity_cache.read(copy) is None
    scores = toxicity.ToxicityModel(folder).scores(TEXTS)
    assert scores[0]["insult"] > 0.5
    assert toxicity_cache.read(copy) is not None


def test_referee_prepare_leaves_the_copy_that_servers_start_from(settings, tmp_path):
    import io

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    toxicity._models.clear()
    out = io.StringIO()
    try:
        call_command("referee_prepare", stdout=out)
    finally:
        toxicity._models.clear()
    assert out.getvalue().splitlines()[0].startswith("the toxicity model is ready in ")
    assert toxicity_cache.path_for(toxicity.model_dir()).exists()
