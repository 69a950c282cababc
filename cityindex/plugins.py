"""The plugin manager: built-in methods, entry-point plugins, and the method registry.

Every way a third-party plugin can fail is caught at its own boundary and recorded as a
:class:`PluginFailure` naming the distribution, the plugin and (where known) the method; the
other methods load as usual. ``cityindex methods`` and the dashboard list the failures.

- a plugin module that fails to import (or exits) while entry points are loaded;
- a plugin whose hook implementation is invalid or misspelt;
- a plugin that raises while registering (none of its methods is loaded);
- a registered object that is not a usable method (that object is skipped);
- two plugins registering the same method name: neither is loaded, and both are named — except
  that a built-in method keeps its name, so that no package can take over ``bitkom``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pluggy

from cityindex import hookspecs
from cityindex.messages import exception_text, msg, one_line
from cityindex.method import REQUIREMENTS, Method, Parameter

ENTRY_POINT_GROUP = "cityindex"
DISABLE_AUTOLOAD_ENV = "CITYINDEX_DISABLE_PLUGIN_AUTOLOAD"
"""Set to a non-empty value other than 0/false to skip third-party entry-point plugins."""

DEFAULT_PLUGINS = (
    "cityindex.methods.bitkom",
    "cityindex.methods.equal_weights",
    "cityindex.methods.service_coverage",
    "cityindex.methods.geometric",
    "cityindex.methods.copeland",
    "cityindex.methods.pca_weights",
    "cityindex.methods.benefit_of_doubt",
    "cityindex.methods.mazziotta_pareto",
)
BUILTIN_DISTRIBUTION = "cityindex"
IN_PROCESS = "(registered in-process)"

_METHOD_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")


class PluginError(Exception):
    """A plugin could not be loaded or registered a bad method."""


class DuplicateMethodError(PluginError):
    """Two plugins registered methods under the same name."""


class UnknownMethodError(KeyError):
    """No installed plugin provides a method of that name.

    ``available`` lists the loaded methods; ``failures`` the plugins that could not be loaded
    (one of them may have been meant to provide it).
    """

    def __init__(self, name: str, available: list[str], failures: tuple = ()):
        self.name = name
        self.available = available
        self.failures = tuple(failures)
        super().__init__(name)

    def __str__(self) -> str:
        own = [f for f in self.failures if f.method == self.name]
        if own:
            return f"method {self.name!r} could not be loaded: {own[0].message}"
        text = f"unknown method {self.name!r}; available: {', '.join(self.available)}"
        if self.failures:
            broken = sorted({f.distribution for f in self.failures})
            text += (f" ({len(broken)} plugin package{'s' * (len(broken) > 1)} could not be "
                     f"loaded: {', '.join(broken)}; 'cityindex methods' says why)")
        return text


@dataclass(frozen=True)
class PluginFailure:
    """A plugin, or one method of it, that could not be loaded.

    ``stage`` is one of ``"import"`` (the module failed to import), ``"hooks"`` (an invalid or
    misspelt hook implementation), ``"register"`` (the hook raised), ``"method"`` (a
    registered object is not a usable method) and ``"duplicate"`` (a method name taken twice).
    """

    distribution: str
    plugin: str
    method: str | None
    stage: str
    message: str

    def __post_init__(self):
        # pluggy's validation messages run over several lines: one line reads better in a
        # table and on stderr (a message keeps its template, for the German dashboard)
        object.__setattr__(self, "message", one_line(self.message))

    def __str__(self) -> str:
        dist = self.distribution if self.distribution.startswith("(") else \
            f"({self.distribution})"
        what = f"plugin {self.plugin!r} {dist}"
        if self.method:
            what += f", method {self.method!r}"
        return f"{what}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "distribution": self.distribution,
            "plugin": self.plugin,
            "method": self.method,
            "stage": self.stage,
            "message": self.message,
        }


@dataclass(frozen=True)
class RegisteredMethod:
    """A method together with where it came from."""

    method: Method
    plugin: str  # the name the plugin is registered under
    distribution: str  # the installed package providing it ("cityindex" for built-ins)
    version: str

    @property
    def name(self) -> str:
        return self.method.name

    @property
    def builtin(self) -> bool:
        return self.plugin in DEFAULT_PLUGINS


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus where each plugin came from and what failed to load."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self.origins: dict[str, tuple[str, str]] = {}  # plugin name -> (distribution, version)

    def origin(self, plugin_name: str) -> tuple[str, str]:
        """``(distribution, version)`` of a registered plugin."""
        if plugin_name in self.origins:
            return self.origins[plugin_name]
        if plugin_name in DEFAULT_PLUGINS:
            return BUILTIN_DISTRIBUTION, _own_version()
        return IN_PROCESS, _own_version()

    def load_entrypoint_plugins(self, group: str = ENTRY_POINT_GROUP) -> int:
        """Import and register every plugin of the entry-point ``group``, one at a time.

        Unlike ``load_setuptools_entrypoints``, a plugin that fails to import or to register
        is recorded in :attr:`failures` and the others still load. Returns how many loaded.
        """
        loaded = 0
        for dist in list(importlib.metadata.distributions()):
            dist_name = dist.metadata["Name"] or "(unnamed distribution)"
            version = dist.version or ""
            for ep in dist.entry_points:
                if ep.group != group or self.is_blocked(ep.name):
                    continue
                if self.has_plugin(ep.name):
                    other = self.origin(ep.name)[0]
                    if other != dist_name:
                        self._fail(dist_name, ep.name, "import",
                                   msg("entry point name {name!r} is already used by {other}; "
                                       "rename one of the two entry points", name=ep.name,
                                       other=other))
                    continue
                try:
                    plugin = ep.load()
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - isolate the plugin
                    self._fail(dist_name, ep.name, "import",
                               msg("failed to import {target!r}: {error}", target=ep.value,
                                   error=_describe(exc)))
                    continue
                try:
                    self.register(plugin, name=ep.name)
                except (pluggy.PluginValidationError, ValueError) as exc:
                    self._fail(dist_name, ep.name, "hooks",
                               msg("invalid plugin: {error}", error=str(exc)))
                    continue
                self.origins[ep.name] = (dist_name, version)
                loaded += 1
        return loaded

    def _fail(self, distribution: str, plugin: str, stage: str, message: str) -> None:
        self.failures.append(PluginFailure(distribution, plugin, None, stage, message))


def _describe(exc: BaseException) -> str:
    """``TypeName: text`` (the type alone for an exception without text)."""
    return exception_text(exc)


def _autoload_disabled() -> bool:
    value = os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no")


def make_plugin_manager(*, load_entrypoints: bool | None = None) -> PluginManager:
    """A fresh manager with the built-in methods and (unless disabled) entry-point plugins.

    Never raises for a faulty third-party plugin: see :attr:`PluginManager.failures`.
    """
    pm = PluginManager()
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    if load_entrypoints is None:
        load_entrypoints = not _autoload_disabled()
    if load_entrypoints:
        pm.load_entrypoint_plugins(ENTRY_POINT_GROUP)
    return pm


_pm: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager, created on first use.

    Register a plugin in-process with ``get_plugin_manager().register(obj, name=...)``; it is
    seen by the next :func:`get_registry` call.
    """
    global _pm
    if _pm is None:
        _pm = make_plugin_manager()
    return _pm


def reset_plugin_manager() -> None:
    """Forget the process-wide manager (tests use it after changing the environment)."""
    global _pm
    _pm = None


class MethodRegistry(Mapping[str, RegisteredMethod]):
    """All methods registered by the plugins of a manager, keyed by name (in load order).

    Building it never raises for a faulty plugin: what could not be loaded is listed in
    :attr:`failures`, and :meth:`check` raises for it where strictness is wanted (tests).
    """

    def __init__(self, manager: pluggy.PluginManager):
        self._methods: dict[str, RegisteredMethod] = {}
        failures: list[PluginFailure] = list(getattr(manager, "failures", ()))
        origin = getattr(manager, "origin", None) or _fallback_origin(manager)
        bad = set()
        for plugin_name, message in _unknown_hooks(manager):
            dist, _ = origin(plugin_name)
            failures.append(PluginFailure(dist, plugin_name, None, "hooks", message))
            bad.add(plugin_name)

        candidates: dict[str, list[RegisteredMethod]] = {}
        # get_hookimpls() lists plugins in registration order: built-ins first.
        for impl in manager.hook.cityindex_register_methods.get_hookimpls():
            plugin_name = impl.plugin_name
            if plugin_name in bad:
                continue
            dist, version = origin(plugin_name)
            collected: list[RegisteredMethod] = []
            rejected: list[PluginFailure] = []

            def register(method, _plugin=plugin_name, _dist=dist, _version=version,
                         _collected=collected, _rejected=rejected):
                checked, problem = _checked_method(method)
                if problem is not None:
                    _rejected.append(PluginFailure(_dist, _plugin, _method_name(method),
                                                   "method", problem))
                else:
                    _collected.append(RegisteredMethod(checked, _plugin, _dist, _version))

            try:
                impl.function(register=register)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - isolate the plugin
                failures.append(PluginFailure(
                    dist, plugin_name, None, "register",
                    msg("failed while registering methods: {error}", error=_describe(exc))))
                continue  # none of its methods: a half-registered plugin is not trustworthy
            failures.extend(rejected)
            for entry in collected:
                candidates.setdefault(entry.name, []).append(entry)

        for name, entries in candidates.items():
            if len(entries) == 1:
                self._methods[name] = entries[0]
                continue
            builtin = next((e for e in entries if e.builtin), None)
            if builtin is not None:
                self._methods[name] = builtin
                for e in entries:
                    if e is not builtin:
                        failures.append(PluginFailure(
                            e.distribution, e.plugin, name, "duplicate",
                            msg("method name {name!r} belongs to the built-in method of "
                                "{distribution}; this one is not loaded (rename it)",
                                name=name, distribution=builtin.distribution)))
                continue
            # each plugin once, however often it registered the name
            owners = list(dict.fromkeys((e.distribution, e.plugin, e.version) for e in entries))
            where = None
            for distribution, plugin, version in owners:
                one = msg("plugin {plugin!r} ({distribution} {version})", plugin=plugin,
                          distribution=distribution, version=version)
                where = one if where is None else msg("{first} and {second}", first=where,
                                                      second=one)
            if len(owners) == 1:
                reason = msg("method name {name!r} is registered more than once by {where}; "
                             "none of them is loaded (ask its author to register each name "
                             "once)", name=name, where=where)
            else:
                reason = msg("method name {name!r} is registered twice: by {where}; neither "
                             "is loaded (uninstall one, or ask its author to rename the "
                             "method)", name=name, where=where)
            for distribution, plugin, _ in owners:
                failures.append(PluginFailure(distribution, plugin, name, "duplicate", reason))
        # a failure met twice (a plugin registering 'bitkom' twice) is listed once
        self.failures: tuple[PluginFailure, ...] = tuple(dict.fromkeys(failures))

    def __getitem__(self, name: str) -> RegisteredMethod:
        try:
            return self._methods[name]
        except KeyError:
            raise UnknownMethodError(name, list(self._methods), self.failures) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._methods)

    def __len__(self) -> int:
        return len(self._methods)

    def method(self, name: str) -> Method:
        return self[name].method

    def check(self) -> None:
        """Raise :class:`PluginError` (:class:`DuplicateMethodError` for a name taken twice)
        listing every failure, if there is any."""
        if not self.failures:
            return
        text = "; ".join(str(f) for f in self.failures)
        if all(f.stage == "duplicate" for f in self.failures):
            raise DuplicateMethodError(text)
        raise PluginError(text)


def _unknown_hooks(manager: pluggy.PluginManager) -> list[tuple[str, str]]:
    """Plugins with a hook implementation that matches no specification (a misspelt hook),
    as pluggy's ``check_pending`` finds them, but all of them rather than the first."""
    found = []
    for name in list(manager.hook.__dict__):
        if name.startswith("_"):
            continue
        caller = getattr(manager.hook, name)
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                found.append((impl.plugin_name,
                              msg("unknown hook {name!r} (is it misspelt? the hook is "
                                  "'cityindex_register_methods')", name=name)))
    return found


def _fallback_origin(manager: pluggy.PluginManager):
    """Origins for a plain pluggy manager (one not made by :func:`make_plugin_manager`)."""
    dists = {manager.get_name(p): d for p, d in manager.list_plugin_distinfo()}

    def origin(plugin_name: str) -> tuple[str, str]:
        dist = dists.get(plugin_name)
        if dist is not None:
            return dist.project_name, dist.version
        if plugin_name in DEFAULT_PLUGINS:
            return BUILTIN_DISTRIBUTION, _own_version()
        return IN_PROCESS, _own_version()

    return origin


def _method_name(obj) -> str | None:
    name = getattr(obj, "name", None)
    return name if isinstance(name, str) and name else None


def _type_name(obj) -> str:
    """``module.Class`` of ``obj``, for a message that names what a plugin registered (its
    repr may be ``<object object at 0x7f…>``, an address that says nothing)."""
    kind = type(obj)
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", kind.__name__)
    return f"{module}.{name}" if module and module != "builtins" else name


def _checked_method(obj) -> tuple[Method | None, str | None]:
    """``(method, None)`` for a usable method object, else ``(None, what is wrong)``."""
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:  # noqa: BLE001
            return None, msg("registered the class {cls}, which cannot be instantiated "
                             "without arguments ({error}); register an instance",
                             cls=obj.__name__, error=_describe(exc))
    for attr in ("name", "title", "description"):
        value = getattr(obj, attr, None)
        if not isinstance(value, str) or not value.strip():
            return None, msg("registered an object of type {kind}, which has no {attr!r} text",
                             kind=_type_name(obj), attr=attr)
    if not _METHOD_NAME_RE.match(obj.name):
        return None, msg("method name {name!r} is not usable on the command line (letters, "
                         "digits, '_', '.', '-')", name=obj.name)
    if not callable(getattr(obj, "score", None)):
        return None, msg("registered an object of type {kind}, which has no score() method",
                         kind=_type_name(obj))
    params = getattr(obj, "parameters", ())
    try:
        params = tuple(params)
    except TypeError:
        return None, msg("its 'parameters' is not a tuple of cityindex.Parameter")
    for p in params:
        if not isinstance(p, Parameter):
            return None, msg("parameter {parameter} is not a cityindex.Parameter",
                             parameter=repr(p))
    unknown = set(getattr(obj, "requires", ())) - set(REQUIREMENTS)
    if unknown:
        return None, msg("declares unknown requirements {unknown} (known: {known})",
                         unknown=", ".join(sorted(unknown)), known=", ".join(REQUIREMENTS))
    if not callable(getattr(obj, "resolve_params", None)):
        return None, msg("is not a cityindex.Method subclass (no resolve_params)")
    return obj, None


def _own_version() -> str:
    from cityindex import __version__

    return __version__


def get_registry(manager: pluggy.PluginManager | None = None) -> MethodRegistry:
    """The registry of every installed method (cheap: it asks the plugins afresh each time).

    Never raises for a faulty plugin; see :attr:`MethodRegistry.failures`.
    """
    return MethodRegistry(manager or get_plugin_manager())
