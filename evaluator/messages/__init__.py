"""The core's message catalogue: every sentence the core says to a person, in Korean and English.

A message is made where it is raised or returned, by its **code** and its English text with named
parameters::

    raise NotFound(msg("award.missing", "Application {app} has no award.", app=app))

and is rendered when it is shown, in the language then in effect (:func:`set_language`; the
command line sets it from ``--lang`` or the locale, the desktop app from its language setting).
The catalogue is gettext's: the code is the message's context (``msgctxt``) and the English text
its ``msgid``.  English is the source text itself — the template ``resources/messages/messages.pot``
extracted from the code — and Korean lives in ``resources/messages/ko/*.po`` (one file per area
of the core), compiled to ``ko.mo`` at build time as the Qt ``.qm`` files are
(``python -m evaluator.messages.build``; Babel reads, extracts and compiles).  A source checkout
run without the build compiles the catalogue on first use when Babel is installed, and otherwise
speaks English.

Parameters are values (numbers, text, dates) or other messages, which are rendered in the same
language; the text may format them (``{amount:,}``).  A translation that names a parameter the
message does not have never hides the message: the English text is shown instead (the tests keep
that from happening).  Korean has no plural forms; English says a count of one in the singular with
a plural choice, ``{count:singular|plural}`` beside the number (:func:`plural`)::

    msg("cli.applications_count", "{count} {count:application|applications}", count=n)

renders "1 application" and "48 applications"; the Korean text names the count once (``신청 {count}건``).
"""

from __future__ import annotations

import gettext
import logging
import os
import string
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..paths import resource

log = logging.getLogger(__name__)

#: the languages the core speaks; English is the source text
LANGUAGES = ("ko", "en")
SOURCE_LANGUAGE = "en"

_language = SOURCE_LANGUAGE
_catalogues: dict[str, gettext.NullTranslations] = {}
_lock = threading.RLock()  # re-entered: a catalogue compiled on first use forgets the loaded ones


def set_language(lang: str | None) -> str:
    """Speak ``lang`` ("ko" or "en"; anything else is English) from now on; returns it."""
    global _language
    _language = lang if lang in LANGUAGES else SOURCE_LANGUAGE
    return _language


def language() -> str:
    """The language messages are rendered in when none is named."""
    return _language


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (the command line's one command; a test)."""
    before = _language
    try:
        yield set_language(lang)
    finally:
        set_language(before)


def system_language(default: str = SOURCE_LANGUAGE, environ: Mapping[str, str] | None = None) -> str:
    """The language of the locale, as gettext reads it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``, the first set): "ko" for ``ko_*``, "en" for ``en_*``, else ``default``.
    ``EVALUATOR_LANG`` ("ko" or "en"), when set, comes first."""
    env = os.environ if environ is None else environ
    own = env.get("EVALUATOR_LANG", "")
    if own in LANGUAGES:
        return own
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        first = value.split(":")[0].split(".")[0].split("@")[0].lower()
        lang = first.split("_")[0].split("-")[0]
        return lang if lang in LANGUAGES else default
    return default


def plural(count: Any, singular: str, plural_form: str) -> str:
    """``singular`` when ``count`` is one (1, 1.0, "1"), else ``plural_form``: English's two forms of
    a counted word.  Messages say it in their text as ``{count:singular|plural}``."""
    try:
        one = float(str(count).replace(",", "")) == 1
    except ValueError:
        one = False
    return singular if one else plural_form


class _PluralFormatter(string.Formatter):
    """``str.format_map`` that also reads a plural choice, ``{count:application|applications}``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            singular, _, plural_form = format_spec.partition("|")
            return plural(value, singular, plural_form)
        return super().format_field(value, format_spec)


_FORMATTER = _PluralFormatter()


def _format(template: str, values: Mapping[str, Any]) -> str:
    if "|" not in template:
        return template.format_map(values)
    return _FORMATTER.vformat(template, (), values)


@dataclass(frozen=True, eq=False, slots=True)
class Message:
    """One sentence: its code, its English text and the values it names; rendered when shown."""

    code: str
    english: str
    params: Mapping[str, Any]

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        values = {k: (v.render(lang) if isinstance(v, (Message, Localised)) else v) for k, v in self.params.items()}
        template = self.english if lang == SOURCE_LANGUAGE else translate(self.code, self.english, lang)
        try:
            return _format(template, values)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            log.warning("message %s: its %s text does not fit its parameters", self.code, lang)
            return _format(self.english, values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"msg({self.code!r}, {self.english!r}, **{dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.code, self.english, dict(self.params)) == (other.code, other.english, dict(other.params))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.code, self.english))


@dataclass(frozen=True, slots=True)
class Localised:
    """A value that has its own Korean and English (a program's or a rubric's label): a message
    parameter rendered in the message's language, never looked up in the catalogue."""

    ko: str
    en: str

    def render(self, lang: str | None = None) -> str:
        return self.en if (lang or _language) == "en" else self.ko

    def __str__(self) -> str:
        return self.render()


def localised(ko: str, en: str | None = None) -> Localised:
    """A label given in both languages (``en`` defaults to ``ko``)."""
    return Localised(ko, en or ko)


def msg(code: str, english: str, /, **params: Any) -> Message:
    """The message ``code`` (e.g. ``"award.missing"``), ``english`` its text with ``{named}``
    parameters.  Both must be string literals: the build extracts them from the source."""
    return Message(code, english, params)


def text(value: Message | str | None, lang: str | None = None) -> str | None:
    """A message rendered in ``lang`` (the current language by default); plain text as it is."""
    if value is None:
        return None
    return value.render(lang) if isinstance(value, Message) else str(value)


def translate(code: str, english: str, lang: str) -> str:
    """The text of message ``code`` in ``lang`` (the English text when the catalogue lacks it)."""
    return _catalogue(lang).pgettext(code, english)


def _catalogue(lang: str) -> gettext.NullTranslations:
    found = _catalogues.get(lang)
    if found is not None:
        return found
    with _lock:
        if lang not in _catalogues:
            _catalogues[lang] = _load(lang)
        return _catalogues[lang]


def mo_path(lang: str):
    return resource("messages", f"{lang}.mo")


def _load(lang: str) -> gettext.NullTranslations:
    path = mo_path(lang)
    try:
        from .build import stale

        if stale(lang):  # a checkout run without the build: compile it now (needs Babel)
            from .build import compile_catalogue

            compile_catalogue(lang)
    except ImportError:
        pass  # Babel is a build tool; an installed app carries the compiled catalogue
    except Exception:  # noqa: BLE001 - a catalogue that cannot be built leaves the messages in English
        log.warning("could not build the %s message catalogue", lang, exc_info=True)
    try:
        with open(path, "rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:
        log.warning("no %s message catalogue at %s: messages stay in English", lang, path)
        return gettext.NullTranslations()


def reload() -> None:
    """Forget the loaded catalogues (after the build wrote them again)."""
    with _lock:
        _catalogues.clear()


__all__ = ["LANGUAGES",
           "Localised",
           "Message", "localised", "language", "msg", "plural", "reload", "set_language", "system_language", "text",
           "translate", "using"]
