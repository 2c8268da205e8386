"""recover: bring a lost blog back from the web's archives."""

__version__ = "0.1.0"
