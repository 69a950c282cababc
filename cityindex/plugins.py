"""The plugin manager: built-in methods, entry-point plugins, and the method registry."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pluggy

from cityindex import hookspecs
from cityindex.method import Method

ENTRY_POINT_GROUP = "cityindex"
DISABLE_AUTOLOAD_ENV = "CITYINDEX_DISABLE_PLUGIN_AUTOLOAD"
"""Set to a non-empty value other than 0/false to skip third-party entry-point plugins."""

DEFAULT_PLUGINS = (
    "cityindex.methods.bitkom",
    "cityindex.methods.equal_weights",
    "cityindex.methods.service_coverage",
    "cityindex.methods.geometric",
)


class PluginError(Exception):
    """A plugin could not be loaded or registered a bad method."""


class DuplicateMethodError(PluginError):
    """Two plugins registered methods under the same name."""


class UnknownMethodError(KeyError):
    """No installed plugin provides a method of that name."""

    def __init__(self, name: str, available: list[str]):
        self.name = name
        self.available = available
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown method {self.name!r}; available: {', '.join(self.available)}"


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


def _autoload_disabled() -> bool:
    value = os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no")


def make_plugin_manager(*, load_entrypoints: bool | None = None) -> pluggy.PluginManager:
    """A fresh manager with the built-in methods and (unless disabled) entry-point plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    if load_entrypoints is None:
        load_entrypoints = not _autoload_disabled()
    if load_entrypoints:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except pluggy.PluginValidationError as exc:
            raise _invalid(pm, exc) from exc
        except Exception as exc:  # a broken third-party package must not take the tool down
            raise PluginError(f"could not load a plugin from entry point group "
                              f"{ENTRY_POINT_GROUP!r}: {type(exc).__name__}: {exc}") from exc
    return pm


_pm: pluggy.PluginManager | None = None


def get_plugin_manager() -> pluggy.PluginManager:
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
    """All methods registered by the plugins of a manager, keyed by name (in load order)."""

    def __init__(self, manager: pluggy.PluginManager):
        self._methods: dict[str, RegisteredMethod] = {}
        try:
            manager.check_pending()  # a misspelt hook fails loudly instead of being ignored
        except pluggy.PluginValidationError as exc:
            raise _invalid(manager, exc) from exc
        dists = {id(plugin): dist for plugin, dist in manager.list_plugin_distinfo()}
        # get_hookimpls() lists plugins in registration order: built-ins first.
        for impl in manager.hook.cityindex_register_methods.get_hookimpls():
            plugin_name = impl.plugin_name
            dist = dists.get(id(impl.plugin))
            dist_name = dist.project_name if dist is not None else _builtin_or_local(plugin_name)
            version = dist.version if dist is not None else _own_version()

            def register(method, _plugin=plugin_name, _dist=dist_name, _version=version):
                self._add(method, _plugin, _dist, _version)

            try:
                impl.function(register=register)
            except PluginError:
                raise
            except Exception as exc:
                raise PluginError(
                    f"plugin {plugin_name!r} failed while registering methods: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc

    def _add(self, method, plugin: str, dist: str, version: str) -> None:
        if isinstance(method, type):
            method = method()
        for attr in ("name", "title", "description", "score"):
            if not hasattr(method, attr):
                raise PluginError(f"plugin {plugin!r} registered {method!r}, which has no {attr!r}")
        name = method.name
        if name in self._methods:
            other = self._methods[name]
            raise DuplicateMethodError(
                f"method name {name!r} is registered twice: by plugin {other.plugin!r} "
                f"({other.distribution}) and by plugin {plugin!r} ({dist})"
            )
        self._methods[name] = RegisteredMethod(method, plugin, dist, version)

    def __getitem__(self, name: str) -> RegisteredMethod:
        try:
            return self._methods[name]
        except KeyError:
            raise UnknownMethodError(name, list(self._methods)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._methods)

    def __len__(self) -> int:
        return len(self._methods)

    def method(self, name: str) -> Method:
        return self[name].method


def _invalid(manager: pluggy.PluginManager, exc: pluggy.PluginValidationError) -> PluginError:
    name = manager.get_name(exc.plugin) or repr(exc.plugin)
    return PluginError(f"plugin {name!r} is invalid: {exc}")


def _builtin_or_local(plugin_name: str) -> str:
    return "cityindex" if plugin_name in DEFAULT_PLUGINS else "(registered in-process)"


def _own_version() -> str:
    from cityindex import __version__

    return __version__


def get_registry(manager: pluggy.PluginManager | None = None) -> MethodRegistry:
    """The registry of every installed method (cheap: it asks the plugins afresh each time)."""
    return MethodRegistry(manager or get_plugin_manager())
