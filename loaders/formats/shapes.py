"""The shapes text takes when users copy it: undone before the resolution parser reads it."""

from __future__ import annotations

from loaders.formats.model import TextModel


def normalise_shape(model: TextModel) -> TextModel:
    return model
