"""``concviz watch``'s parent side: run a real, unmodified program under the probe
(:mod:`concviz.probe`) and read what its threads do, as the wire format's events
(docs/wire-format.md). No Textual here: the watch screen and the plain transcript both
build on it."""
