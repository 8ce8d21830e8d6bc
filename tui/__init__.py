"""The Textual terminal UI. The headless core never imports this package."""
