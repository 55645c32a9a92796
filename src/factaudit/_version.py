"""The package version, in a module of its own so that report/, web/ and cli/ can name it without
importing the package root (which imports the pipeline and every stage)."""

__version__ = "0.1.0"
