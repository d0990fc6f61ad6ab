"""Stage 3, site: the gathered site -> page documents, feeds and data files. No I/O."""
