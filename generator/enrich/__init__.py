"""Stage 2, enrich: papers -> topics (classify), the curator's overrides (curate), related papers."""
