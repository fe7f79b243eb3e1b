"""Admin for what imports leave behind: old addresses and linkbacks."""
