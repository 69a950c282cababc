"""Messages that can be shown in more than one language.

A problem, warning or error the core reports is English wherever it is printed (the command
line, JSON, logs, ``str(exc)``). The dashboard shows it in German too, so every such text is a
:class:`Message`: a ``str`` that *is* the English text — it compares, hashes, prints and
serialises as that text, so nothing that handles it as a string changes — and remembers the
template it was made from and the arguments::

    >>> m = msg("{value!r} is not a number", value="abc")
    >>> m == "'abc' is not a number"
    True
    >>> render(m, "de")
    "'abc' ist keine Zahl"

:func:`render` looks the template up in the German catalogue
(:data:`cityindex.messages_de.GERMAN`, English template → German template) and formats the
arguments for the reader: numbers in the German format (``1,5``; ``1.234`` where the template
asks for thousands separators with ``{n:,}``), nested messages in German, text quoted from the
user's file (``{value!r}``) as written. A template without a German entry is formatted as it is
(the joined lists of :func:`joined` need none). Any other string is shown as it is.

A plugin may give its own German text: ``msg("needs {n} cities", n=3, de="braucht {n}
Städte")``.
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Iterable, Mapping
from typing import Any


class Message(str):
    """English text that remembers its ``template`` and ``args`` (and, optionally, its own
    German template ``de``). Build it with :func:`msg`."""

    template: str
    args: Mapping[str, Any]
    de: str | None

    def __new__(cls, template: str, args: Mapping[str, Any] | None = None,
                de: str | None = None) -> Message:
        args = dict(args or {})
        self = super().__new__(cls, template.format_map(args))
        self.template = template
        self.args = args
        self.de = de
        return self

    def __reduce__(self):
        # pickled with its template (the dashboard caches results and errors with pickle)
        return (Message, (self.template, dict(self.args), self.de))

    def __copy__(self) -> Message:
        return self

    def __deepcopy__(self, memo) -> Message:
        return self


def msg(template: str, /, *, de: str | None = None, **args: Any) -> Message:
    """The message ``template.format(**args)``, remembering how it was made.

    ``template`` is the English text with ``str.format`` placeholders; the core's templates
    have their German in :data:`cityindex.messages_de.GERMAN` (a test checks that every one
    does). ``de`` is a German template of the caller's own, for messages from a plugin.
    """
    return Message(template, args, de)


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def joined(items: Iterable[Any], sep: str = "; ") -> Message:
    """``sep.join(items)`` as a message: each item is shown in the reader's language (for a
    list of problems built one by one)."""
    items = list(items)
    template = _escaped(sep).join(f"{{_{i}}}" for i in range(len(items)))
    return Message(template, {f"_{i}": item for i, item in enumerate(items)})


def exception_text(exc: BaseException) -> Message:
    """``"TypeName: text"`` of an exception (its type name alone when it has no text), with
    the text kept as a :class:`Message` where the exception was raised with one."""
    first = exc.args[0] if len(exc.args) == 1 else None
    text = first if isinstance(first, Message) else str(exc)
    if not text:
        return msg("{kind}", kind=type(exc).__name__)
    return msg("{kind}: {text}", kind=type(exc).__name__, text=text)


def message_of(exc: BaseException) -> str:
    """What an exception says: the :class:`Message` it was raised with, else ``str(exc)``.

    ``str(exc)`` of an exception raised with a message is the plain English text (Python
    copies a ``str`` subclass into a ``str``); this keeps the template for :func:`render`.
    """
    first = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(first, Message) and str(first) == str(exc):
        return first
    return str(exc)


def one_line(text: str) -> str:
    """``text`` with every run of white space as one space (pluggy's messages span lines),
    keeping a message's template and arguments."""
    if not isinstance(text, Message):
        return " ".join(str(text).split())
    args = {k: one_line(v) if isinstance(v, str) else v for k, v in text.args.items()}
    return Message(" ".join(text.template.split()), args, text.de)


# --- rendering ----------------------------------------------------------------------------------


def german_template(message: Message) -> str | None:
    """The German template of ``message``: its own, else the catalogue's, else None."""
    if message.de:
        return message.de
    from cityindex.messages_de import GERMAN

    return GERMAN.get(message.template)


def render(text: Any, lang: str = "en") -> str:
    """``text`` for a reader of ``lang`` (``"de"`` or ``"en"``): a :class:`Message` in that
    language, anything else as ``str(text)``. English is the message itself."""
    if not isinstance(text, Message):
        return "" if text is None else str(text)
    if lang != "de":
        return str(text)
    template = german_template(text) or text.template
    return _Formatter(lang).vformat(template, (), text.args)


def _number(value: numbers.Real, spec: str, lang: str) -> str:
    """A number as ``format(value, spec)`` writes it in English, in the format of ``lang``:
    the same digits, the decimal mark and thousands separator of the language (Babel)."""
    from cityindex import formats

    english = format(value, spec)
    if spec.endswith("%"):
        decimals = len(english.rstrip("%").partition(".")[2])
        return formats.format_percent_value(float(value) * 100, lang, decimals=decimals)
    if any(c in english.lower() for c in "einf") or not english.strip():
        return english.replace(".", ",")  # 1e+09, inf, nan: only the decimal mark changes
    decimals = len(english.strip().partition(".")[2])
    return formats.format_number(value, lang, decimals=decimals, grouping="," in spec)


class _Formatter(string.Formatter):
    """``str.format`` for a language: nested messages rendered, numbers localised, values
    converted with ``!r`` / ``!s`` (text quoted from the user's file) left as they are."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            return format(render(value, self.lang), format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return _number(value, format_spec, self.lang)
        return format(value, format_spec)
