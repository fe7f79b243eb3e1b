"""Admin for the wire desk: feeds, incoming items, groups and merging."""
