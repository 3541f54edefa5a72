"""`st-nlp bench`: throughput, latency and memory on a seeded synthetic workload."""
