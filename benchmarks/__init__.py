"""Benchmarks for `make bench`: server time of search and the person page on generated data at scale."""
