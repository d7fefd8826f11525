"""The dashboard's panes: each a DemoPane for one demo family."""
