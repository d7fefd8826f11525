"""The demos as real concurrent programs, and the events they emit. Imports no Textual."""
