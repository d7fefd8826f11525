"""The probe: runs inside a watched program and reports what its threads do.

``concviz watch PROGRAM.py`` starts a child interpreter with :mod:`concviz.probe.runner`,
which installs the wrappers (threads, locks and the other primitives, queues,
``time.sleep``, ``concurrent.futures``, ``sys.stdout``/``sys.stderr``) and then runs the
program's own file, unmodified, as ``__main__``. Reports go over a pipe in the wire
format that ``docs/wire-format.md`` specifies (JSON lines, a header first); control
(pause, step, speed, spawn) comes back on a second pipe.

The package imports only the standard library, and nothing of concviz outside it:
it runs in interpreters where only its folder is on the path.
"""
