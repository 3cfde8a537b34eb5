"""The package version, in a module of its own so that modules inside the package (the review page, the run
manifest) can read it without importing the package's public facade."""

__version__ = "0.1.0"
