"""Running the command line inside a test: ``run(capsys, "check", "--db", path)`` gives the exit
code (argparse's own exit for usage errors included), stdout and stderr."""

from __future__ import annotations

from dangjian_desktop.cli import main


def run(capsys, *argv: object) -> tuple[int, str, str]:  # noqa: ANN001 - pytest's capsys
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse exits for usage errors and --version
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
