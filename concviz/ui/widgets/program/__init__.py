"""The watch screen's widgets, one per visual idea. Each draws from a
:class:`concviz.watch.state.ProgramState` (the fold of the probe's events) with a Rich
renderable in the same module, testable without an app."""
