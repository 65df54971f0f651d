"""The bottom of the pipeline: the records, settings and errors every stage shares. Imports no stage."""

__version__ = "0.1.0"
