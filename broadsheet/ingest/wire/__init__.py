"""The wire desk: agencies' feeds polled, items grouped and merged into drafts."""
