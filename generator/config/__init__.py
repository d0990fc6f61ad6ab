"""The curator's YAML files (manifest, topics.yml, curation.yml) read into typed values, with file:line errors."""
