"""Backups: the database and every uploaded file in one archive (`manage.py backup`), checked and
brought back into an empty installation (`manage.py restore`)."""


class BackupError(Exception):
    """Why a backup, check or restore stopped, in words for the operator."""
