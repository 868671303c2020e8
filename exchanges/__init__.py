"""Cold-War diplomatic exchanges on a map and a timeline."""

__version__ = "0.1.0"
