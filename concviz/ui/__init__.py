"""The Textual front end: a consumer of engine events."""
