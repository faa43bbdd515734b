"""The ``evaluator`` command line (BRIEF §6).

Every command takes ``--db URL``, ``--program CODE`` and ``--json`` before or after its name, prints readable text by
default and one JSON document with ``--json``, and exits 0 on success or non-zero with one clear
message on failure.  Feature areas register their verbs from their own modules.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ..errors import EvaluatorError
from ..messages import msg, system_language, using
from ..version import __version__
from . import awards, core, excel, monitoring, packages, people, privacy, programs, ranking, reports, scoring
from .common import CliContext, UsageParser, common_options, os_error_sentence, setup_logging, tolerant_output

MODULES = (core, programs, people, scoring, ranking, excel, reports, packages, privacy, awards, monitoring)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = UsageParser(
        prog="evaluator",
        description="Maeul Evaluator — field evaluation, ranking and selection for community grant programs.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"evaluator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in MODULES:
        module.register(sub, common)
    _completion(sub, common)
    return parser


def _completion(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("completion", parents=[common], help="print the shell completion script (bash, zsh or tcsh)",
                       description="Print a completion script for SHELL; e.g. in ~/.bashrc: "
                                   "eval \"$(evaluator completion bash)\"  (zsh: evaluator completion zsh > "
                                   "~/.zfunc/_evaluator).")
    p.add_argument("shell", choices=("bash", "zsh", "tcsh"), help="the shell")
    p.set_defaults(func=cmd_completion)


def cmd_completion(ctx: CliContext) -> int:
    try:
        import shtab
    except ImportError:
        raise EvaluatorError(msg("cli.completion_missing", "Shell completion needs the 'shtab' package: install "
                                 "Maeul Evaluator with its 'completion' extra (pip install "
                                 "'maeul-evaluator[completion]').")) from None
    print(shtab.complete(build_parser(), shell=ctx.args.shell))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(getattr(args, "verbose", False))
    tolerant_output()
    ctx = CliContext(args)
    with using(ctx.lang or system_language()):
        return _run(ctx)


def _run(ctx: CliContext) -> int:
    args = ctx.args
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
        print(msg("cli.interrupted", "Interrupted; nothing was written by the unfinished step."), file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused a file or folder: the environment, not a bug
        logging.getLogger("evaluator").warning("refused by the system: %s (errno %s)", type(exc).__name__,
                                               exc.errno, exc_info=True)
        ctx.fail(EvaluatorError(os_error_sentence(exc)))
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback in the log
        logging.getLogger("evaluator").exception("unexpected error")
        print(msg("cli.unexpected", "error: unexpected {kind}: {detail} (details in the log file)",
                  kind=type(exc).__name__, detail=str(exc)), file=sys.stderr)
        return 70
    finally:
        if failed:  # a database file this command created is not left behind half-made
            ctx.discard_new_database()
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
