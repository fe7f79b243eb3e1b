"""Django's SQLite backend with a queue for the one writer (ENGINE "broadsheet.core.sqlite")."""
