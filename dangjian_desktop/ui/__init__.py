"""The window: Qt widgets that receive their services in ``__init__`` and show domain objects."""
