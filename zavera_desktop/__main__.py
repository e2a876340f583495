from zavera_desktop.cli import main

raise SystemExit(main())
