"""Independent jobs on several cores.

Workers are forked from the build process, so each starts with WeasyPrint imported, the fonts
configured and the HTML rendered: nothing is pickled on the way in, and only small results on
the way back.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

_JOB: tuple[Callable, Sequence] | None = None  # what forked workers inherit


def run(func: Callable, items: Sequence, workers: int) -> list:
    """[func(item) for item in items], on up to `workers` processes; the first failure is raised."""
    global _JOB
    if workers <= 1 or len(items) <= 1:
        return [func(item) for item in items]
    _JOB = (func, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
            futures = [pool.submit(_call, index) for index in range(len(items))]
            return [future.result() for future in futures]
    finally:
        _JOB = None


def _call(index: int):
    func, items = _JOB
    return func(items[index])
