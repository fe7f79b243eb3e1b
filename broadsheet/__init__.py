"""Broadsheet: a news-publishing platform with first-class reader discussion."""
