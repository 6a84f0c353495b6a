"""Translation as a process: which text is the original, whether each translation is still current
(the lock), and the exchange with translators' tools (XLIFF and PO out, translations back in).

It reads the loaded YAML documents of briefing/content.py and writes only the lock, the YAML fields
it imports (ruamel.yaml's round trip) and the catalogs; it never renders."""
