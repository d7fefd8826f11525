"""Plain Rich renderables: each visual idea drawn from a model, testable without an app."""
