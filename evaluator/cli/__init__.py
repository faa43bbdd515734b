"""The ``evaluator`` command line (BRIEF §6).

Every command takes ``--db URL`` and ``--json`` before or after its name, prints readable text by
default and one JSON document with ``--json``, and exits 0 on success or non-zero with one clear
message on failure.  Feature areas register their verbs from their own modules.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ..errors import EvaluatorError
from ..version import __version__
from . import core, excel, packages, privacy, ranking, reports
from .common import CliContext, common_options, os_error_sentence, setup_logging, tolerant_output

MODULES = (core, ranking, excel, reports, packages, privacy)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="evaluator",
        description="Maeul Evaluator — field evaluation, ranking and selection for community grant programs.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"evaluator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in MODULES:
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(getattr(args, "verbose", False))
    tolerant_output()
    ctx = CliContext(args)
    failed = True
    try:
        code = int(args.func(ctx) or 0)
        failed = False
        return code
    except EvaluatorError as exc:
        ctx.fail(exc)
        return exc.exit_code
    except BrokenPipeError:  # `evaluator … | head`: the reader left; not an error of ours
        import os

        failed = False
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Interrupted; nothing was written by the unfinished step.", file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused a file or folder: the environment, not a bug
        logging.getLogger("evaluator").warning("refused by the system: %s (errno %s)", type(exc).__name__,
                                               exc.errno, exc_info=True)
        ctx.fail(EvaluatorError(os_error_sentence(exc)))
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback in the log
        logging.getLogger("evaluator").exception("unexpected error")
        print(f"error: unexpected {type(exc).__name__}: {exc} (details in the log file)", file=sys.stderr)
        return 70
    finally:
        if failed:  # a database file this command created is not left behind half-made
            ctx.discard_new_database()
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
