"""Programs concviz ships to be watched: the course's seed programs, in ``seed/``, byte for
byte as the course wrote them (``concviz watch seed:ques4``)."""
