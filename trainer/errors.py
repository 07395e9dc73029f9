"""Exceptions raised by the library; the CLI turns them into one-line messages."""

__all__ = ["DataError", "ModelError", "ReportError", "TrainerError"]


class TrainerError(Exception):
    """Base class of every error that `trainer` raises on purpose.

    The message is a complete sentence for the user: what was expected, what was
    found, and how to fix it.
    """


class DataError(TrainerError):
    """Labelled data or input text cannot be read or fails validation."""


class ModelError(TrainerError):
    """A saved model is missing, incomplete, damaged, untrusted or incompatible."""


class ReportError(TrainerError):
    """An evaluation report cannot be written: matplotlib is missing or the directory is not writable."""
