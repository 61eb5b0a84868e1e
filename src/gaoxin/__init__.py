"""Gaoxin (高新): an operating platform for China's high-tech zones."""

__version__ = "0.1.0"
