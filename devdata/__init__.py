"""Synthetic data for benchmarks and trials (`manage.py generate_events`): events, actors,
quotes and annotations from word lists, written in bulk. Not imported by the site."""
