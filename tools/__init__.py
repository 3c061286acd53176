"""Developer tools (not part of the app): building the PyInstaller bundle."""
