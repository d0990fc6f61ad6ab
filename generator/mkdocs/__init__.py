"""The thin edge to MkDocs: the plugin, generated pages, and the Pagefind search index."""
