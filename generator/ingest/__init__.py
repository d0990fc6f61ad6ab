"""Stage 1, ingest: dump bytes -> entries (parse), identity (normalize), papers (merge), issues (digests)."""
