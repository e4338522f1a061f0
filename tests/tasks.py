"""The suite's task backend (cms/settings/test.py, TASKS): django-tasks' immediate
backend, the one Wagtail uses when TASKS is unset, that can also hold a block's
tasks and run each once at the block's end (`tasks_once`).

Creating a published article saves its page three times (add_child,
save_revision, publish), and each save runs Wagtail's reference-index and
search-index tasks for it: half of an `org.article()`. Those tasks read the
object as it is when they run and rewrite its entries, so run once after the
last save they leave the same index as run after each save.
"""

import contextlib
import threading

from django_tasks.backends import immediate

_held = threading.local()


class ImmediateBackend(immediate.ImmediateBackend):
    """Runs a task when it is enqueued, as django-tasks' own; inside `tasks_once()`
    (in the same thread) once per task and arguments, at the block's end."""

    def _execute_task(self, task_result):
        held = getattr(_held, "tasks", None)
        if held is None:
            super()._execute_task(task_result)
            return
        key = (task_result.task.module_path, repr(task_result.args))
        held.setdefault(key + (repr(task_result.kwargs),), (self, task_result))

    def _run_now(self, task_result):
        super()._execute_task(task_result)


@contextlib.contextmanager
def tasks_once():
    """Hold the tasks enqueued in the block; when it ends without an error, run
    each task and arguments once, in the order first enqueued (tasks they
    enqueue run at once). Nested blocks belong to the outer one."""
    if getattr(_held, "tasks", None) is not None:
        yield
        return
    _held.tasks = {}
    try:
        yield
        held = list(_held.tasks.values())
    finally:
        _held.tasks = None
    for backend, task_result in held:
        backend._run_now(task_result)
