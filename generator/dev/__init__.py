"""Developer tools: the benchmark and the synthetic dump writer."""
