from concviz.cli import main

raise SystemExit(main())
