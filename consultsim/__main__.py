from consultsim.cli import entry

entry()
