"""The package version, one place for the package and the season cache key."""

__version__ = "0.1.0"
