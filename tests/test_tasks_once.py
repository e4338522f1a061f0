"""The suite's task backend (tests/tasks.py) and the article and image fixtures
that lean on it: a page saved three times is indexed once, with the same result."""

import pytest
from django_tasks.signals import task_finished
from PIL.ImageFile import ImageFile
from wagtail.models import ReferenceIndex

from cms.content.models import ArticlePage
from tests.conftest import make_image, png_bytes
from tests.tasks import tasks_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks_run():
    """The (task name, model name) of each task that runs, in order."""
    runs = []

    def record(sender, task_result, **kwargs):
        runs.append((task_result.task.name, task_result.args[1]))

    task_finished.connect(record)
    yield runs
    task_finished.disconnect(record)


def found(words):
    return [page.pk for page in ArticlePage.objects.search(words)]


INDEX_TASKS = {"update_reference_index_task", "insert_or_update_object_task"}


def test_a_published_article_is_indexed_once(org, tasks_run):
    page = org.article(title="Tờ khai điện tử")
    assert sorted(tasks_run) == sorted(
        (name, model) for name in INDEX_TASKS for model in ("image", "articlepage")
    )
    # What the indexes hold is what indexing after each save leaves.
    assert found("khai") == [page.pk]
    cover = ReferenceIndex.get_references_for_object(page).get(
        to_content_type__model="image"
    )
    assert cover.to_object_id == str(page.cover_image_id)


def test_the_tasks_of_a_block_run_once_at_its_end(org, tasks_run):
    page = org.article(title="Bản cũ")
    tasks_run.clear()
    with tasks_once():
        for title in ("Bản một", "Bản hai", "Bản ba"):
            page.title = title
            page.save()
        assert tasks_run == []  # none yet: the index still has the old title
        assert found("cũ") == [page.pk]
    assert sorted(tasks_run) == sorted((name, "articlepage") for name in INDEX_TASKS)
    assert (found("ba"), found("cũ")) == ([page.pk], [])


def test_outside_a_block_each_save_runs_its_tasks(org, tasks_run):
    page = org.article()
    tasks_run.clear()
    page.save()
    page.save()
    assert len(tasks_run) == 4


def test_a_failed_block_runs_none_of_its_tasks(org, tasks_run):
    page = org.article()
    tasks_run.clear()
    with pytest.raises(RuntimeError), tasks_once():
        page.save()
        raise RuntimeError
    assert tasks_run == []


def test_an_image_is_decoded_once_to_be_saved(monkeypatch):
    """Django measures the stored file again (force), whatever size it is given;
    the file assigned before saving is not measured too."""
    decoded, load = [], ImageFile.load
    monkeypatch.setattr(ImageFile, "load", lambda im: decoded.append(im) or load(im))
    image = make_image("Ảnh", 1200, 630)
    assert len(decoded) == 1
    image.refresh_from_db()
    assert (image.width, image.height) == (1200, 630)
    with image.file.open() as stored:
        assert stored.read() == png_bytes(1200, 630)
