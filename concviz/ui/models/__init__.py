"""Pure-Python state folded from engine events: what the renderers read."""
