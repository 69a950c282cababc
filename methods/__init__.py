"""The built-in scoring methods. Installed as ``cityindex.methods``; each module is an
ordinary cityindex plugin, registered explicitly by :data:`cityindex.plugins.DEFAULT_PLUGINS`."""
