"""Builds bilingual briefing packs (PDF and EPUB 3) from YAML content."""
