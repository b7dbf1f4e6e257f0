"""``--self-test``: the proof that an installed program or a bundle is whole."""

from __future__ import annotations

from .. import APP_NAME, __version__
from .common import EXIT_OK, EXIT_REFUSED


def cmd_self_test() -> int:
    from ..services.self_test import DATA_STEPS, passed, result_line, run_self_test, summary_line
    from ..ui.self_check import QT_STEPS

    results = []
    print(f"{APP_NAME} {__version__} 自检")
    for result in run_self_test(QT_STEPS):
        results.append(result)
        print(result_line(len(results), len(DATA_STEPS) + len(QT_STEPS), result), flush=True)
    print(summary_line(results))
    return EXIT_OK if passed(results) else EXIT_REFUSED
